using System.Globalization;
using System.Text.Json.Nodes;
using LabelNoise.Tests.Data;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Files;

namespace LabelNoise.Tests.Cli;

/// <summary>Every kind of data × every command that reads data: train, resume, measure and sweep, on tiny generated files.</summary>
public class DataKindCommandTests
{
    /// <summary>Writes the data of <paramref name="kind"/> into <paramref name="folder"/>; returns its --data spec and a model for it.</summary>
    static (string Data, string Model) Prepare(string kind, string folder)
    {
        switch (kind)
        {
            case "fashion-mnist":
            case "mnist":
                IdxReaderTests.WriteFolder(folder);
                return ($"{kind}:{folder}", "mlp:4");
            case "cifar10":
                Cifar10ReaderTests.WriteFolder(folder);
                return ($"cifar10:{folder}", "mlp:2");
            case "csv":
                var path = Path.Combine(folder, "points.csv");
                var rows = Enumerable.Range(0, 6).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i * 0.5},{1 - i * 0.25},{2 * i * 0.5 - (1 - i * 0.25)}"));
                File.WriteAllText(path, "x1,x2,y\n" + string.Join("\n", rows) + "\n");
                return (path, "linear");
            case "sparse":
                return ("sparse:d=6,n=4,r=2,seed=1", "quadratic");
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown data kind");
        }
    }

    public static TheoryData<string> Kinds => new() { "fashion-mnist", "mnist", "cifar10", "csv", "sparse" };

    static void Succeeds((int ExitCode, string Output, string Error) result, string what) =>
        Assert.True(result.ExitCode == 0, $"{what} failed: {result.Error}");

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TrainResumeMeasureAndSweepWork(string kind)
    {
        using var temp = new TempFolder();
        var dataFolder = Directory.CreateDirectory(temp.File("data")).FullName;
        var (data, model) = Prepare(kind, dataFolder);
        bool classification = model.StartsWith("mlp", StringComparison.Ordinal);
        string noise = classification ? "flip:0.2" : "pm:0.5";
        string run = temp.File("run");

        Succeeds(CliProcess.Run("train", "--model", model, "--data", data, "--noise", noise, "--lr", "0.01", "--batch", "2",
            "--steps", "40", "--eval-every", "20", "--out", run), "train");
        Succeeds(CliProcess.Run("train", "--resume", run, "--steps", "60"), "resume");
        var rows = MetricsSink.ReadCsv(Path.Combine(run, MetricsSink.CsvFile)).Rows;
        Assert.Equal([0L, 20, 40, 60], rows.Select(r => r.Step));
        Assert.All(rows, r => Assert.True(double.IsFinite(r["train_loss"]!.Value)));

        var measure = CliProcess.Run(classification
            ? ["measure", "--checkpoint", run, "--probes", "4", "--lanczos-steps", "4", "--deflate", "0", "--json"]
            : ["measure", "--checkpoint", run, "--exact", "--json"]);
        Succeeds(measure, "measure");
        var json = Assert.IsType<JsonObject>(JsonNode.Parse(measure.Output));
        Assert.Equal(rows[^1]["train_loss"]!.Value, json["loss"]!.GetValue<double>(), 1e-5 * (1 + Math.Abs(rows[^1]["train_loss"]!.Value)));

        string sweep = temp.File("sweep");
        Succeeds(CliProcess.Run("sweep", "--model", model, "--data", data, "--noise", noise, "--lr", "0.01,0.02", "--batch", "2",
            "--steps", "20", "--eval-every", "10", "--parallel", "1", "--out", sweep), "sweep");
        var summary = File.ReadAllLines(Path.Combine(sweep, "summary.csv"));
        Assert.Equal(3, summary.Length);
        Assert.All(summary.Skip(1), row => Assert.Contains(",finished,20,", row));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TheMeasureTableShowsEveryNumberWhateverTheDataIsCalled(string kind)
    {
        using var temp = new TempFolder();
        var dataFolder = Directory.CreateDirectory(temp.File("data")).FullName;
        var (data, model) = Prepare(kind, dataFolder);
        bool classification = model.StartsWith("mlp", StringComparison.Ordinal);
        string run = temp.File("run");
        // --train-size and --eval-size put brackets into the data's name, which Spectre.Console would read as markup.
        Succeeds(CliProcess.Run(["train", "--model", model, "--data", data, "--noise", classification ? "flip:0.2" : "pm:0.5", "--lr", "0.01", "--batch", "2",
            "--steps", "4", "--eval-every", "2", .. (classification ? new[] { "--train-size", "1" } : []), "--out", run]), "train");
        string[] estimate = classification ? ["--probes", "4", "--lanczos-steps", "4", "--deflate", "0"] : ["--exact"];
        var table = CliProcess.Run(["measure", "--checkpoint", run, "--eval-size", classification ? "1" : "2", .. estimate]);
        Succeeds(table, "measure");
        var json = Assert.IsType<JsonObject>(JsonNode.Parse(CliProcess.Run(["measure", "--checkpoint", run, "--eval-size", classification ? "1" : "2", .. estimate, "--json"]).Output));
        string name = json["data"]!.GetValue<string>();
        Assert.EndsWith(classification ? "[1]" : "[2]", name);
        Assert.Contains(name, table.Output);
        foreach (var (key, value) in json)
            if (value is JsonValue && !key.EndsWith("_stderr", StringComparison.Ordinal) && key is not ("seconds" or "trace_stop_reason" or "regularizer_stop_reason" or "trace_estimator" or "regularizer_estimator"))
                Assert.Contains(key, table.Output);
        Assert.Contains(classification ? "cross entropy" : "squared error", table.Output);
    }

    [Fact]
    public void DataWithoutATestSetRefusesATestSizeInOneSentence()
    {
        using var temp = new TempFolder();
        var (data, model) = Prepare("csv", temp.Path);
        var result = CliProcess.Run("train", "--model", model, "--data", data, "--test-size", "3", "--out", temp.File("run"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("has no test set", result.Error);
        Assert.False(Directory.Exists(temp.File("run")));
    }
}
