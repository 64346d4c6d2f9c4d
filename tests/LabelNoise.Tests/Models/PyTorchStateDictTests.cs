using System.Text.Json.Nodes;
using LabelNoise.Curvature;
using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Objectives;
using LabelNoise.Randomness;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Training;
using LabelNoise.Files;

namespace LabelNoise.Tests.Models;

/// <summary>PyTorch state_dict files in and out, checked against Debian's PyTorch on the same MLP (scripts/pytorch/twin_check.py).</summary>
public class PyTorchStateDictTests
{
    const string MlpSpec = "mlp:8,8";

    /// <summary>64 examples of 5 features with N(0, 1) targets, as a CSV with a header.</summary>
    static string WriteRegressionCsv(TempFolder folder)
    {
        var data = TestData.Regression(64, 5, seed: 7);
        var table = new CsvTable([.. Enumerable.Range(0, 5).Select(j => $"x{j}"), "y"]);
        for (int i = 0; i < data.Count; i++) table.Add([.. data.Row(i).ToArray(), data.Targets[i]]);
        var path = folder.File("data.csv");
        table.Write(path);
        return path;
    }

    static (double Loss, double GradNorm, double[] ProbeValues) Ours(TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> network, Dataset data, double[][] probes)
    {
        using var objective = new TorchObjective(network, data);
        var hessian = objective.Hessian();
        return (objective.Loss(), Vectors.Norm(objective.Gradient()), probes.Select(v => Vectors.Dot(v, hessian.Apply(v))).ToArray());
    }

    static double[][] ReadProbes(string path) =>
        File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => l.Split(',').Select(double.Parse).ToArray()).ToArray();

    static void AssertRelative(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected), $"{what}: ours {actual:R}, PyTorch's {expected:R}");

    static void AssertAgrees(JsonObject pytorch, (double Loss, double GradNorm, double[] ProbeValues) ours)
    {
        AssertRelative(pytorch["loss"]!.GetValue<double>(), ours.Loss, 1e-5, "loss");
        AssertRelative(pytorch["grad_norm"]!.GetValue<double>(), ours.GradNorm, 1e-5, "gradient norm");
        AssertRelative(pytorch["trace"]!.GetValue<double>(), ours.ProbeValues.Average(), 1e-4, "Hutchinson trace with the same probes");
    }

    [Fact]
    public void EveryModelOfTheZooHasTheNamesAndShapesOfItsPyTorchTwin()
    {
        var flat = TestData.Regression(4, 5, seed: 1);
        var images = TestData.Images(4, 8, 3, seed: 1);
        var cifar = new ClassificationDataset("rgb", [3, 32, 32], new float[4 * 3 * 32 * 32], [0, 1, 2, 3], 10);
        (string Spec, Dataset Data)[] zoo = [("linear", flat), ("quadratic", flat), ("mlp:8,6,gelu", flat), ("cnn:4", images), ("resnet18", cifar)];
        var models = new JsonArray();
        foreach (var (spec, data) in zoo)
            models.Add(new JsonObject
            {
                ["spec"] = spec,
                ["shape"] = new JsonArray([.. data.SampleShape.Select(s => JsonValue.Create(s))]),
                ["outputs"] = data is ClassificationDataset c ? c.ClassCount : 1,
            });
        var layouts = PyTorchTwin.Run(new JsonObject { ["mode"] = "layout", ["models"] = models })["layouts"]!.AsArray();
        for (int m = 0; m < zoo.Length; m++)
        {
            var built = ModelFactory.Create(ModelSpec.Parse(zoo[m].Spec), zoo[m].Data, "auto", new RandomStream(0));
            using var network = built.Network;
            var ours = built.Hand is not null ? PyTorchStateDict.HandLayout(built.Hand.Name, built.Hand.ParameterCount) : PyTorchStateDict.Layout(network!);
            var theirs = layouts[m]!;
            Assert.Equal(theirs["names"]!.AsArray().Select(n => n!.GetValue<string>()), ours.Select(e => e.Name));
            Assert.Equal(theirs["shapes"]!.AsArray().Select(s => string.Join("x", s!.AsArray().Select(d => d!.GetValue<long>()))),
                ours.Select(e => string.Join("x", e.Shape)));
        }
    }

    [Fact]
    public void PyTorchWeightsImportToItsLossGradientAndTrace()
    {
        using var folder = new TempFolder();
        string csv = WriteRegressionCsv(folder), model = folder.File("torch.pt"), probes = folder.File("probes.csv"), list = folder.File("list.pt");
        var pytorch = PyTorchTwin.Run(new JsonObject
        {
            ["mode"] = "save", ["spec"] = MlpSpec, ["csv"] = csv, ["seed"] = 3, ["probes"] = 6,
            ["model"] = model, ["probe_file"] = probes, ["not_state_dict"] = list,
        });
        var data = CsvRegressionReader.Read(csv);
        var built = ModelFactory.Create(ModelSpec.Parse(MlpSpec), data, "auto", new RandomStream(99));
        using var network = built.Network!;
        int count = (int)network.parameters().Sum(p => p.numel());
        Assert.Equal(pytorch["parameters"]!.GetValue<int>(), count);
        Assert.Null(ParameterSource.Load(model, count, network)); // loaded in place
        AssertAgrees(pytorch, Ours(network, data, ReadProbes(probes)));

        // --init: the learner starts from exactly these weights.
        using var session = TrainingSetup.Create(new TrainingConfig { Model = MlpSpec, Data = csv, Init = model, Steps = 0 });
        Assert.Equal(FlatParameters.Read(network.parameters()), session.Learner.GetParameters());

        // measure --checkpoint FILE.pt and --params FILE.pt: the same loss on the command line.
        foreach (var option in new[] { "--checkpoint", "--params" })
        {
            var (code, output, error) = CliProcess.Run("measure", "--model", MlpSpec, "--data", csv, option, model, "--eta", "0.1", "--batch", "1", "--exact", "--json");
            Assert.True(code == 0, error);
            AssertRelative(pytorch["loss"]!.GetValue<double>(), JsonNode.Parse(output)!["loss"]!.GetValue<double>(), 1e-5, option);
        }

        // A .pt that holds a list of tensors is not a state_dict: one sentence.
        var e = Assert.Throws<DataFormatException>(() => ParameterSource.Load(list, count, network));
        Assert.Contains("not a state_dict", e.Message);
    }

    [Fact]
    public void ExportedRunsLoadInPyTorchToTheSameOutputs()
    {
        using var folder = new TempFolder();
        string csv = WriteRegressionCsv(folder), probes = folder.File("probes.csv");
        var data = CsvRegressionReader.Read(csv);
        foreach (var (spec, extra) in new[] { (MlpSpec, new[] { "--noise", "pm:0.5", "--lr", "0.05" }), ("quadratic", new[] { "--noise", "pm:0.5", "--lr", "0.01" }) })
        {
            string run = folder.File(spec.Replace(':', '-'));
            var train = CliProcess.Run(["train", "--model", spec, "--data", csv, "--batch", "4", "--steps", "30", "--out", run, .. extra]);
            Assert.True(train.ExitCode == 0, train.Error);
            var export = CliProcess.Run("export", run, "--format", "pt");
            Assert.True(export.ExitCode == 0, export.Error);
            string pt = Path.Combine(run, "model.pt");
            Assert.StartsWith("wrote " + pt, export.Output);

            // Ours at the run's parameters, with probes we draw.
            var built = ModelFactory.Create(ModelSpec.Parse(spec), data, "torch", new RandomStream(5));
            using var network = built.Network!;
            int count = (int)network.parameters().Sum(p => p.numel());
            var values = ParameterSource.Load(run, count, network);
            if (values is not null) FlatParameters.Write(network.parameters().ToArray(), values);
            var generator = new RandomStream(11);
            var vectors = Enumerable.Range(0, 4).Select(_ => { var v = new double[count]; Vectors.FillRademacher(v, generator); return v; }).ToArray();
            File.WriteAllLines(probes, vectors.Select(v => string.Join(",", v.Select(x => x.ToString("R")))));
            var pytorch = PyTorchTwin.Run(new JsonObject { ["mode"] = "load", ["spec"] = spec, ["csv"] = csv, ["model"] = pt, ["probe_file"] = probes });
            AssertAgrees(pytorch, Ours(network, data, vectors));
        }
    }

    [Fact]
    public void AHandWrittenModelsVectorRoundTripsExactly()
    {
        using var folder = new TempFolder();
        var values = TestData.Gaussian(10, seed: 4);
        PyTorchStateDict.WriteFlat(folder.File("q.pt"), "quadratic", values);
        Assert.Equal(values, ParameterSource.Load(folder.File("q.pt"), 10, network: null));
        var e = Assert.Throws<DataFormatException>(() => ParameterSource.Load(folder.File("q.pt"), 12, network: null));
        Assert.Contains("'u' of shape [5], but the model's is [6]", e.Message);
    }

    public static TheoryData<string, string> MismatchedFiles => new()
    {
        { "wrong-shape", "has 'layers.linear1.weight' of shape [4, 8], but the model's is [8, 8]" },
        { "missing-keys", "has no parameter 'layers.linear0.weight'" },
        { "extra-key", "holds 'layers.linear2.bias', which the model does not have" },
        { "not-pytorch", "is not in torch.save's zip format" },
        { "truncated", "is not a complete zip archive" },
        { "absent", "file not found" },
    };

    [Theory]
    [MemberData(nameof(MismatchedFiles))]
    public void AMismatchedFileIsOneSentenceNamingTheFirstProblem(string kind, string expected)
    {
        using var folder = new TempFolder();
        var data = TestData.Regression(8, 5, seed: 1);
        var built = ModelFactory.Create(ModelSpec.Parse(MlpSpec), data, "auto", new RandomStream(0));
        using var network = built.Network!;
        int count = (int)network.parameters().Sum(p => p.numel());
        string path = folder.File(kind + ".pt");
        switch (kind)
        {
            case "wrong-shape":
                using (var other = ModelFactory.Create(ModelSpec.Parse("mlp:8,4"), data, "auto", new RandomStream(0)).Network!) PyTorchStateDict.Write(path, other);
                break;
            case "missing-keys": PyTorchStateDict.WriteFlat(path, "quadratic", new double[10]); break;
            case "extra-key":
                // mlp:8,8,8 has every name and shape of mlp:8,8, and one more layer.
                using (var deeper = ModelFactory.Create(ModelSpec.Parse("mlp:8,8,8"), data, "auto", new RandomStream(0)).Network!) PyTorchStateDict.Write(path, deeper);
                break;
            case "not-pytorch": File.WriteAllText(path, "hello\n"); break;
            case "truncated":
                PyTorchStateDict.Write(path, network);
                var bytes = File.ReadAllBytes(path);
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                break;
        }
        var before = FlatParameters.Read(network.parameters());
        var e = Assert.Throws<DataFormatException>(() => ParameterSource.Load(path, count, network));
        Assert.Contains(expected, e.Message);
        Assert.Equal(before, FlatParameters.Read(network.parameters())); // nothing half-loaded
    }
}
