using static TorchSharp.torch;
Console.WriteLine(LabelNoise.Native.TorchSharpLoader.Outcome);
var a = randn(3, 3);
Console.WriteLine(a.matmul(a).sum().item<float>());
Console.WriteLine(LabelNoise.Native.TorchSharpLoader.Outcome);
