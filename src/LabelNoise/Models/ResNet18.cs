using TorchSharp;
using static TorchSharp.torch;
using LabelNoise.Native;

namespace LabelNoise.Models;

/// <summary>
/// ResNet-18 in the paper's CIFAR variant: a 3×3 stride-1 first convolution, no max-pool, and
/// GroupNorm with 32 channels per group in place of BatchNorm (so there is no batch statistic
/// and the loss is a function of the parameters alone).
/// </summary>
public sealed class ResNet18 : nn.Module<Tensor, Tensor>
{
    readonly nn.Module<Tensor, Tensor> body;

    public ResNet18(int channels, int classes) : base("resnet18")
    {
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("conv1", nn.Conv2d(channels, 64, 3, stride: 1, padding: 1, bias: false)),
            ("norm1", Norm(64)),
            ("relu", nn.ReLU()),
        };
        int inPlanes = 64;
        int[] planes = [64, 128, 256, 512];
        for (int stage = 0; stage < planes.Length; stage++)
            for (int block = 0; block < 2; block++)
            {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                modules.Add(($"layer{stage + 1}_{block}", new BasicBlock(inPlanes, planes[stage], stride)));
                inPlanes = planes[stage];
            }
        modules.Add(("pool", nn.AdaptiveAvgPool2d(1)));
        modules.Add(("flatten", nn.Flatten()));
        modules.Add(("fc", nn.Linear(512, classes)));
        body = nn.Sequential(modules);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => body.forward(x);

    internal static nn.Module<Tensor, Tensor> Norm(int channels) => nn.GroupNorm(channels / 32, channels);

    sealed class BasicBlock : nn.Module<Tensor, Tensor>
    {
        readonly nn.Module<Tensor, Tensor> conv1, norm1, conv2, norm2;
        readonly nn.Module<Tensor, Tensor>? shortcut;

        public BasicBlock(int inPlanes, int planes, int stride) : base("block")
        {
            conv1 = nn.Conv2d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false);
            norm1 = Norm(planes);
            conv2 = nn.Conv2d(planes, planes, 3, stride: 1, padding: 1, bias: false);
            norm2 = Norm(planes);
            if (stride != 1 || inPlanes != planes)
                shortcut = nn.Sequential(nn.Conv2d(inPlanes, planes, 1, stride: stride, bias: false), Norm(planes));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var y = nn.functional.relu(norm1.forward(conv1.forward(x)));
            y = norm2.forward(conv2.forward(y));
            var identity = shortcut is null ? x : shortcut.forward(x);
            return nn.functional.relu(KeptScalar.Plus(y, identity)).MoveToOuterDisposeScope();
        }
    }
}
