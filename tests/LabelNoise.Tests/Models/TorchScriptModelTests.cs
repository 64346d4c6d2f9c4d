using System.Text.Json.Nodes;
using LabelNoise.Curvature;
using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Objectives;
using LabelNoise.Tests.TestSupport;
using TorchSharp;

namespace LabelNoise.Tests.Models;

/// <summary>A user's PyTorch modules, scripted and saved by Debian's PyTorch (scripts/pytorch/torchscript_check.py), against PyTorch's own numbers.</summary>
public class TorchScriptModelTests
{
    /// <summary>The scripted module, its data and probes, made by PyTorch in <paramref name="folder"/>, and PyTorch's numbers for them.</summary>
    internal static (string Model, string Data, double[][] Probes, JsonObject Numbers) Make(TempFolder folder, string kind, int examples = 12)
    {
        string model = folder.File(kind + ".pt"), data = folder.File(kind + "-data.pt"), probes = folder.File(kind + "-probes.csv");
        var numbers = PyTorchTwin.Run(new JsonObject
        {
            ["mode"] = "make", ["kind"] = kind, ["model"] = model, ["data"] = data, ["n"] = examples, ["seed"] = 3, ["probes"] = 4, ["probe_file"] = probes,
        }, "torchscript_check.py");
        var vectors = File.ReadAllLines(probes).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return (model, data, vectors, numbers);
    }

    static (double Loss, double GradientNorm, double Trace) Ours(string model, string data, double[][] probes, torch.ScalarType dtype)
    {
        var set = DataSpec.Parse("tensors:" + data).Load().Train;
        var network = TorchScriptModel.Load(model);
        network.to(dtype);
        using var objective = new TorchObjective(network, set);
        var hessian = objective.Hessian();
        double trace = probes.Average(v => Vectors.Dot(v, hessian.Apply(v)));
        return (objective.Loss(), Math.Sqrt(objective.Gradient().Sum(g => g * g)), trace);
    }

    static void Close(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"{what}: ours {actual:R}, PyTorch's {expected:R} (relative tolerance {relative})");

    [Theory]
    [InlineData("convgn")]
    [InlineData("convgn-traced")]
    [InlineData("transformer")]
    [InlineData("regression")]
    public void LossGradientAndHutchinsonTraceEqualPyTorchsWithTheSameProbes(string kind)
    {
        using var folder = new TempFolder();
        var (model, data, probes, numbers) = Make(folder, kind);
        var (loss, gradient, trace) = Ours(model, data, probes, torch.ScalarType.Float64);
        Close(numbers["loss64"]!.GetValue<double>(), loss, 1e-6, "float64 loss");
        Close(numbers["grad_norm64"]!.GetValue<double>(), gradient, 1e-6, "float64 gradient norm");
        Close(numbers["trace64"]!.GetValue<double>(), trace, 1e-6, "float64 Hutchinson trace");
        var (loss32, gradient32, _) = Ours(model, data, probes, torch.ScalarType.Float32);
        Close(numbers["loss32"]!.GetValue<double>(), loss32, 1e-5, "float32 loss");
        Close(numbers["grad_norm32"]!.GetValue<double>(), gradient32, 1e-5, "float32 gradient norm");
    }

    [Fact]
    public void ParametersKeepTheModulesOwnNamesAndTheDenseTraceEqualsPyTorchsHessian()
    {
        using var folder = new TempFolder();
        var (model, data, _, numbers) = Make(folder, "tiny");
        var network = TorchScriptModel.Load(model);
        Assert.Equal(numbers["names"]!.AsArray().Select(n => n!.GetValue<string>()), network.named_parameters().Select(p => p.name));
        Assert.Equal(numbers["names"]!.AsArray().Select(n => n!.GetValue<string>()), network.state_dict().Keys);
        network.to(torch.ScalarType.Float64);
        using var objective = new TorchObjective(network, DataSpec.Parse("tensors:" + data).Load().Train);
        var dense = DenseSymmetric.FromOperator(objective.Hessian());
        double trace = Enumerable.Range(0, objective.Dimension).Sum(i => dense[i, i]);
        Close(numbers["dense_trace"]!.GetValue<double>(), trace, 1e-9, "dense Hessian trace");
    }

    [Fact]
    public void AFileThatIsNotTorchScriptAndAForwardWithOtherArgumentsAreOneSentenceEach()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("not.pt"), "hello");
        Assert.Contains("is not a TorchScript file", Assert.Throws<DataFormatException>(() => TorchScriptModel.Load(folder.File("not.pt"))).Message);
        var (model, data, _, _) = Make(folder, "two-arguments");
        var set = DataSpec.Parse("tensors:" + data).Load().Train;
        var e = Assert.Throws<SettingException>(() => ModelFactory.Create(ModelSpec.Parse("torchscript:" + model), set, "auto", new LabelNoise.Randomness.RandomStream(0)));
        Assert.Contains("cannot run forward(x)", e.Message);
    }
}
