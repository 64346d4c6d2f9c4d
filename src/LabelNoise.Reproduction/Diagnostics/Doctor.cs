using System.Globalization;
using System.Text.Json.Serialization;
using LabelNoise.Benchmarks;
using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Native;
using TorchSharp;
using static TorchSharp.torch;
using LabelNoise.Randomness;

namespace LabelNoise.Diagnostics;

/// <summary>One model kind's gradient self-check, as <c>labelnoise doctor</c> reports it.</summary>
public sealed record ModelCheck(string Kind, string Outcome, double GradientError, double HessianVectorError, string Detail);

/// <summary>
/// What <c>labelnoise doctor</c> finds: the processor and its vector extensions, the BLAS and oneDNN in use, threads,
/// float32 and float64 matmul rates, whether oneDNN's float32 convolution backward is right on this machine, the
/// gradient self-check of each model kind, how TorchSharp loaded, and the data and peer packages.
/// </summary>
public sealed record DoctorReport(
    string Processor, IReadOnlyList<string> VectorExtensions, int Cores, int Threads, string Blas,
    [property: JsonPropertyName("onednn")] string OneDnn, [property: JsonPropertyName("onednn_convolution")] string OneDnnConvolution,
    double Float32Gflops, double Float64Gflops, IReadOnlyList<ModelCheck> Models, [property: JsonPropertyName("torchsharp")] string TorchSharp, string Libtorch,
    string DataPackage, [property: JsonPropertyName("pytorch")] string PyTorch)
{
    /// <summary>The one line that report headers carry.</summary>
    public string Line => string.Create(CultureInfo.InvariantCulture,
        $"{Processor} ({(VectorExtensions.Count > 0 ? string.Join(" ", VectorExtensions) : "no AVX")}), {Threads} threads, {Blas.Split(" (")[0]}, oneDNN {OneDnn.Split(" (")[0]} " +
        $"(its convolution backward is {OneDnnConvolution.Split(":")[0]}), matmul float32 {Float32Gflops:F0} / float64 {Float64Gflops:F0} GFLOP/s") +
        (Models.Count > 0 ? "; gradient self-check: " + string.Join(", ", Models.Select(m => $"{m.Kind} {m.Outcome}")) : "");
}

/// <summary>Runs the checks of <see cref="DoctorReport"/>; a few seconds (ResNet-18 in float64 is most of it).</summary>
public static class Doctor
{
    /// <summary>The vector extensions that decide which kernels libtorch, oneDNN and OpenBLAS run.</summary>
    static readonly string[] Extensions = ["avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_vp2intersect", "amx_tile"];

    const string DataFile = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";

    /// <param name="pythonTorch">The version of Debian's python3-torch, or why there is none (the caller asks python3; the library runs no peer).</param>
    /// <param name="modelKinds">Whether to self-check one model of each kind (most of the time, ResNet-18 above all); a reproduction
    /// leaves it out, since every model it builds is self-checked and listed anyway.</param>
    public static DoctorReport Run(string pythonTorch, bool modelKinds = true)
    {
        TorchSharpLoader.EnsureLoaded();
        var machine = MachineInfo.Current();
        var flags = CpuFlags();
        double f32 = MatmulThroughput.Measure(512, new TimingPlan(2, 5, minWarmupSeconds: 0.2), new RandomStream(0)).Gflops;
        double f64 = MatmulThroughput.Measure(512, new TimingPlan(2, 5, minWarmupSeconds: 0.2), new RandomStream(0), ScalarType.Float64).Gflops;
        string convolution = OneDnnConvolution();
        var models = new List<ModelCheck>();
        foreach (var (kind, build, data) in modelKinds ? Kinds() : [])
        {
            var check = GradientSelfCheck.Ensure(build(), data);
            models.Add(new ModelCheck(kind, check.Word, check.GradientError, check.HessianVectorError, check.Reason));
        }
        return new DoctorReport(machine.CpuModel, Extensions.Where(flags.Contains).ToArray(), machine.Cores, get_num_threads(), BlasPreload.Outcome, OneDnn.Outcome,
            convolution, f32, f64, models, TorchSharpLoader.Outcome, __version__,
            File.Exists(DataFile) ? "dataset-fashion-mnist installed" : "dataset-fashion-mnist missing (apt-get install dataset-fashion-mnist)", pythonTorch);
    }

    /// <summary>oneDNN's float32 gradient of a net with 2- and 4-channel convolutions against float64, oneDNN switched on for the probe only.</summary>
    static string OneDnnConvolution()
    {
        var data = Images(8, 1, 28, seed: 1);
        double worst = 0;
        for (ulong seed = 0; seed < 4; seed++)
        {
            var net = Initialized(new SmallCnn(1, 28, 28, 10, baseWidth: 2), seed);
            var errors = OneDnn.With(true, () => GradientSelfCheck.Errors(net, data));
            if (errors is null) return "not probed: libtorch offers no oneDNN switch";
            worst = Math.Max(worst, double.IsNaN(errors.Value.Gradient) ? double.PositiveInfinity : errors.Value.Gradient);
        }
        string verdict = worst <= GradientSelfCheck.Tolerance ? "right here" : "wrong here";
        string error = double.IsFinite(worst) ? worst.ToString("G2", CultureInfo.InvariantCulture) : "NaN";
        return $"{verdict}: cnn:2 float32 gradient off by up to {error} (relative) in 4 tries with oneDNN on";
    }

    static IEnumerable<(string Kind, Func<nn.Module<Tensor, Tensor>> Build, Dataset Data)> Kinds()
    {
        var gray = Images(8, 1, 28, seed: 2);
        var color = Images(8, 3, 16, seed: 3); // 16×16 keeps the check to seconds; the kernels are those of 32×32
        yield return ("mlp (relu)", () => Initialized(new Mlp(784, [64], 10, Activation.Relu), 1), gray);
        yield return ("mlp (tanh)", () => Initialized(new Mlp(784, [64], 10, Activation.Tanh), 2), gray);
        yield return ("cnn:2", () => Initialized(new SmallCnn(1, 28, 28, 10, baseWidth: 2), 3), gray);
        yield return ("cnn", () => Initialized(new SmallCnn(1, 28, 28, 10), 4), gray);
        yield return ("resnet18", () => Initialized(new ResNet18(3, 10), 5), color);
    }

    static nn.Module<Tensor, Tensor> Initialized(nn.Module<Tensor, Tensor> model, ulong seed)
    {
        ParameterInitializer.Initialize(model, new RandomStream(seed));
        return model;
    }

    static ClassificationDataset Images(int count, int channels, int side, ulong seed)
    {
        var generator = new RandomStream(seed);
        var pixels = new float[count * channels * side * side];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (float)generator.NextDouble();
        return new ClassificationDataset($"doctor-{channels}x{side}", [channels, side, side], pixels, Enumerable.Range(0, count).Select(i => i % 10).ToArray(), 10);
    }

    static HashSet<string> CpuFlags()
    {
        try { return File.Exists("/proc/cpuinfo") ? MachineInfo.CpuFlagsOf(File.ReadAllText("/proc/cpuinfo")) : []; }
        catch (IOException) { return []; }
    }
}
