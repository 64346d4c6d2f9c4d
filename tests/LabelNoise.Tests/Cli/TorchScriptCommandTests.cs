using System.Text.Json.Nodes;
using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Tests.Models;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Training;
using TorchSharp;

namespace LabelNoise.Tests.Cli;

/// <summary>train, resume, measure and export on a user's scripted module and a tensors file, made by Debian's PyTorch.</summary>
public class TorchScriptCommandTests
{
    static string[] Train(string model, string data, string folder, int steps) =>
        ["train", "--model", "torchscript:" + model, "--data", "tensors:" + data, "--noise", "flip:0.2", "--lr", "0.05", "--batch", "4",
         "--momentum", "0.5", "--steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture), "--eval-every", "10", "--seed", "7", "--out", folder];

    static void Succeeds((int ExitCode, string Output, string Error) result, string what) => Assert.True(result.ExitCode == 0, $"{what}: {result.Error}");

    [Fact]
    public void RunsAreRepeatableResumeIsExactAndTheExportLoadsIntoTheScriptedModuleInPyTorch()
    {
        using var folder = new TempFolder();
        var (model, data, _, _) = TorchScriptModelTests.Make(folder, "convgn");
        string first = folder.File("first"), second = folder.File("second"), resumed = folder.File("resumed");
        Succeeds(CliProcess.Run(Train(model, data, first, 40)), "train");
        Succeeds(CliProcess.Run(Train(model, data, second, 40)), "the same train again");
        Assert.Equal(File.ReadAllText(Path.Combine(first, Trainer.FinalParametersFile)), File.ReadAllText(Path.Combine(second, Trainer.FinalParametersFile)));
        Succeeds(CliProcess.Run(Train(model, data, resumed, 20)), "the first half");
        Succeeds(CliProcess.Run("train", "--resume", resumed, "--steps", "40"), "resume");
        Assert.Equal(File.ReadAllText(Path.Combine(first, Trainer.FinalParametersFile)), File.ReadAllText(Path.Combine(resumed, Trainer.FinalParametersFile)));
        // A module file replaced under a run is refused at resume, before anything in the run changes.
        string replaced = folder.File("replaced");
        string copy = folder.File("copy.pt");
        File.Copy(model, copy);
        Succeeds(CliProcess.Run(Train(copy, data, replaced, 20)), "a run on a copy of the module");
        var (other, _, _, _) = TorchScriptModelTests.Make(folder, "convgn-traced");
        File.Copy(other, copy, overwrite: true);
        var refused = CliProcess.Run("train", "--resume", replaced, "--steps", "40");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("differs from the TorchScript module the run was started with", refused.Error);

        // sweep: every point of the grid trains the scripted module from its saved weights.
        string sweep = folder.File("sweep");
        Succeeds(CliProcess.Run("sweep", "--model", "torchscript:" + model, "--data", "tensors:" + data, "--noise", "flip:0.2", "--lr", "0.05,0.1",
            "--batch", "4", "--steps", "20", "--eval-every", "10", "--parallel", "1", "--out", sweep), "sweep");
        Assert.All(File.ReadAllLines(Path.Combine(sweep, "summary.csv")).Skip(1), row => Assert.Contains(",finished,20,", row));

        // measure: per-tensor traces under the module's own names.
        var measure = CliProcess.Run("measure", "--checkpoint", first, "--probes", "6", "--lanczos-steps", "6", "--json");
        Succeeds(measure, "measure");
        var json = JsonNode.Parse(measure.Output)!.AsObject();
        Assert.Equal(["conv.weight", "conv.bias", "norm.weight", "norm.bias", "head.weight", "head.bias"], json["block_traces"]!.AsObject().Select(p => p.Key));
        Assert.True(double.IsFinite(json["regularizer"]!.GetValue<double>()));

        // export → PyTorch's load_state_dict into the scripted module → the outputs ours give at the trained point.
        string exported = folder.File("export.pt");
        Succeeds(CliProcess.Run("export", first, "--format", "pt", "--out", exported), "export");
        var theirs = PyTorchTwin.Run(new JsonObject { ["mode"] = "outputs", ["model"] = model, ["state_dict"] = exported, ["data"] = data }, "torchscript_check.py")["outputs"]!
            .AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var set = DataSpec.Parse("tensors:" + data).Load().Train;
        using var network = TorchScriptModel.Load(model);
        var values = ParameterSource.Load(Path.Combine(first, Trainer.FinalParametersFile), FlatParameters.Count(network.parameters()), network)!;
        FlatParameters.Write(network.parameters().ToArray(), values);
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(Enumerable.Range(0, set.Count).SelectMany(i => Enumerable.Range(0, set.FeatureCount).Select(f => (float)set.Feature(i, f))).ToArray(),
            [set.Count, .. set.SampleShape.Select(d => (long)d)]);
        using var noGrad = torch.no_grad();
        var ours = network.forward(x).to_type(torch.ScalarType.Float64).reshape(-1).data<double>().ToArray();
        Assert.Equal(theirs.Length, ours.Length);
        for (int i = 0; i < ours.Length; i++) Assert.True(Math.Abs(ours[i] - theirs[i]) <= 1e-5 * (1 + Math.Abs(theirs[i])), $"output {i}: ours {ours[i]}, PyTorch's {theirs[i]}");
    }

    [Fact]
    public void BadTensorFilesAndModulesAreOneSentenceAndWriteNothing()
    {
        using var folder = new TempFolder();
        var (model, data, _, _) = TorchScriptModelTests.Make(folder, "convgn");
        File.WriteAllText(folder.File("not-a-module.pt"), "not a zip");
        var notScript = CliProcess.Run(Train(folder.File("not-a-module.pt"), data, folder.File("a"), 10));
        Assert.Equal(2, notScript.ExitCode);
        Assert.Contains("is not a TorchScript file", notScript.Error);
        Assert.False(Directory.Exists(folder.File("a")));
        var notData = CliProcess.Run(Train(model, folder.File("not-a-module.pt"), folder.File("b"), 10));
        Assert.Equal(2, notData.ExitCode);
        Assert.Contains("not-a-module.pt", notData.Error);
        Assert.False(Directory.Exists(folder.File("b")));
        // A module with 3 outputs on regression targets with its 2 input features: the output shape does not fit.
        var (tiny, _, _, _) = TorchScriptModelTests.Make(folder, "tiny");
        var regression = folder.File("targets.pt");
        var dict = new System.Collections.Specialized.OrderedDictionary { ["x"] = torch.randn(4, 2), ["y"] = torch.randn(4) };
        TorchSharp.PyBridge.PyTorchPickler.PickleStateDict(regression, dict);
        var shape = CliProcess.Run(["train", "--model", "torchscript:" + tiny, "--data", "tensors:" + regression, "--noise", "pm:0.5", "--lr", "0.01", "--batch", "2", "--steps", "5", "--out", folder.File("c")]);
        Assert.Equal(2, shape.ExitCode);
        Assert.Contains("has shape [2, 3] for 2 examples, but tensors:targets.pt/train is regression and needs one value per example ([2])", shape.Error);
        Assert.False(Directory.Exists(folder.File("c")));
    }
}
