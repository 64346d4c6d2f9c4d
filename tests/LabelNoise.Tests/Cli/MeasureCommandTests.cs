using System.Text.Json.Nodes;
using LabelNoise.Tests.TestSupport;

namespace LabelNoise.Tests.Cli;

public class MeasureCommandTests
{
    static readonly string[] Quadratic = ["measure", "--model", "quadratic", "--data", "sparse:d=6,n=4,r=2,seed=1", "--eta", "0.01", "--batch", "1", "--sigma", "1"];

    static JsonObject Json((int ExitCode, string Output, string Error) result)
    {
        Assert.True(result.ExitCode == 0, result.Error);
        return Assert.IsType<JsonObject>(JsonNode.Parse(result.Output)); // standard output is one JSON object and nothing else
    }

    [Fact]
    public void JsonEstimateHasTheRequiredKeys()
    {
        var json = Json(CliProcess.Run([.. Quadratic, "--probes", "8", "--lanczos-steps", "6", "--json"]));
        foreach (var key in new[] { "loss", "grad_norm", "trace", "trace_stderr", "top_eigenvalue", "gauss_newton_trace", "regularizer", "regularizer_stderr", "lambda", "regularized_loss" })
            Assert.True(json.ContainsKey(key), key);
        Assert.Equal(0.01, json["lambda"]!.GetValue<double>(), 15);
    }

    [Theory]
    [InlineData("hutchinson")]
    [InlineData("hutch++")]
    [InlineData("xtrace")]
    [InlineData("slq")]
    [InlineData("deflated-slq")]
    [InlineData("auto")]
    public void EveryEstimatorMeasuresAndSaysWhichItUsed(string estimator)
    {
        var json = Json(CliProcess.Run([.. Quadratic, "--probes", "40", "--rse", "0.5", "--lanczos-steps", "6", "--estimator", estimator, "--json"]));
        Assert.StartsWith(estimator == "auto" ? "deflated-slq" : estimator, json["trace_estimator"]!.GetValue<string>()); // the quadratic model has no exact trace
        Assert.True(json["trace_stderr"]!.GetValue<double>() > 0);
        Assert.False(string.IsNullOrEmpty(json["regularizer_stop_reason"]!.GetValue<string>()));
    }

    [Fact]
    public void ExactMeasurementOfATrainedRunAddsGradientsOfR()
    {
        using var folder = new TempFolder();
        var train = CliProcess.Run("train", "--model", "quadratic", "--data", "sparse:d=6,n=4,r=2,seed=1", "--noise", "pm:1", "--lr", "0.01", "--batch", "1", "--steps", "2000", "--out", folder.Path);
        Assert.True(train.ExitCode == 0, train.Error);
        var json = Json(CliProcess.Run("measure", "--checkpoint", folder.Path, "--exact", "--json"));
        foreach (var key in new[] { "min_eigenvalue", "regularizer_grad_norm", "regularized_grad_norm" }) Assert.True(json.ContainsKey(key), key);
        Assert.Equal(0.01, json["lambda"]!.GetValue<double>(), 15); // η σ² / B from the run's configuration
        Assert.True(json["regularizer"]!.GetValue<double>() > 0);
    }

    [Fact]
    public void ParametersMeasuredOnOtherDataOrLossSayWhichAndWarn()
    {
        using var folder = new TempFolder();
        var train = CliProcess.Run("train", "--model", "mlp:4", "--data", "fashion-mnist", "--train-size", "20", "--test-size", "0", "--noise", "flip:0.2",
            "--lr", "0.05", "--batch", "4", "--steps", "10", "--out", folder.Path);
        Assert.True(train.ExitCode == 0, train.Error);
        string parameters = Path.Combine(folder.Path, LabelNoise.Training.Trainer.FinalParametersFile);
        // The run's own data and smoothed loss: no warning about them.
        var own = Json(CliProcess.Run("measure", "--checkpoint", folder.Path, "--probes", "4", "--lanczos-steps", "4", "--json"));
        Assert.Equal("fashion-mnist/train[20]", own["data"]!.GetValue<string>());
        Assert.Contains("p = 0.2", own["loss_function"]!.GetValue<string>());
        Assert.DoesNotContain(own["warnings"]!.AsArray(), w => w!.GetValue<string>().Contains("were trained"));
        // The parameter file alone: the whole training set and plain cross entropy, said and warned about.
        var other = Json(CliProcess.Run("measure", "--model", "mlp:4", "--data", "fashion-mnist", "--params", parameters, "--eval-size", "30",
            "--eta", "0.05", "--batch", "4", "--probes", "4", "--lanczos-steps", "4", "--json"));
        Assert.Equal("cross entropy", other["loss_function"]!.GetValue<string>());
        Assert.Contains(other["warnings"]!.AsArray(), w => w!.GetValue<string>().Contains("trained with label noise flip:0.2"));
        var all = Json(CliProcess.Run("measure", "--model", "mlp:4", "--data", "fashion-mnist", "--params", parameters, "--flip", "0.2",
            "--eta", "0.05", "--batch", "4", "--probes", "2", "--lanczos-steps", "2", "--deflate", "0", "--estimator", "hutchinson", "--json"));
        Assert.Equal("fashion-mnist/train", all["data"]!.GetValue<string>());
        Assert.Contains(all["warnings"]!.AsArray(), w => w!.GetValue<string>().Contains("trained on 20 examples"));
    }

    [Fact]
    public void TheDensityFileIsNamedInTheOutputAndAMissingFolderIsRefusedBeforeComputing()
    {
        using var folder = new TempFolder();
        string file = folder.File("density.csv");
        var json = Json(CliProcess.Run([.. Quadratic, "--probes", "4", "--lanczos-steps", "4", "--density", file, "--json"]));
        Assert.Equal(file, json["density_file"]!.GetValue<string>());
        Assert.True(File.Exists(file));
        var table = CliProcess.Run([.. Quadratic, "--probes", "4", "--lanczos-steps", "4", "--density", file]);
        Assert.Contains("spectral density written to", table.Output);
        var missing = CliProcess.Run([.. Quadratic, "--density", folder.File("no/such/density.csv")]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error);
        Assert.False(Directory.Exists(folder.File("no")));
    }

    [Fact]
    public void InfiniteRegularizerIsTheStringInfWithAWarning()
    {
        var json = Json(CliProcess.Run([.. Quadratic[..5], "--eta", "100", "--batch", "1", "--exact", "--json"]));
        Assert.Equal("inf", json["regularizer"]!.GetValue<string>());
        Assert.Contains(json["warnings"]!.AsArray(), w => w!.GetValue<string>().Contains("R is infinite"));
    }

    [Theory]
    [InlineData(new[] { "measure", "--model", "quadratic", "--data", "sparse", "--batch", "1" }, "needs --eta")]
    [InlineData(new[] { "measure", "--model", "quadratic", "--data", "sparse", "--eta", "0.1", "--batch", "0" }, "batch size must be at least 1")]
    [InlineData(new[] { "measure", "--model", "quadratic", "--data", "sparse", "--eta", "0.1", "--batch", "1", "--params", "/nonexistent.txt" }, "/nonexistent.txt")]
    [InlineData(new[] { "measure", "--checkpoint", "/nonexistent-run" }, "config.json")]
    [InlineData(new[] { "measure", "--model", "quadratic", "--data", "sparse", "--eta", "0.1", "--batch", "1", "--estimator", "hutch+" }, "--estimator must be auto, hutchinson, hutch++, xtrace, slq or deflated-slq, not 'hutch+'")]
    public void BadInputIsOneSentence(string[] args, string fragment)
    {
        var result = CliProcess.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(fragment, result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }
}
