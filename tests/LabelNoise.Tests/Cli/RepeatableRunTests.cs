using LabelNoise.Models;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Training;
using LabelNoise.Files;

namespace LabelNoise.Tests.Cli;

/// <summary>
/// Same seed, same machine, two processes: the same metrics (every column but the elapsed time) and the same final
/// parameters, bit for bit, for every kind of model: the hand-written ones, the written-out ReLU MLP step, autograd
/// (a tanh MLP), convolutions (native, with oneDNN off) and ResNet-18 with GroupNorm.
/// </summary>
public class RepeatableRunTests
{
    [Theory]
    [InlineData("linear", "sparse:d=20,n=30,r=3,seed=1", "pm:0.5", "1000", "4")]
    [InlineData("quadratic", "sparse:d=20,n=30,r=3,seed=1", "pm:0.5", "1000", "4")]
    [InlineData("mlp:32,32", "fashion-mnist", "flip:0.2", "200", "8")]
    [InlineData("mlp:32,tanh", "fashion-mnist", "flip:0.2", "200", "8")]
    [InlineData("cnn:4", "fashion-mnist", "flip:0.2", "100", "8")]
    [InlineData("resnet18", "fashion-mnist", "flip:0.2", "2", "2")]
    public void TwoProcessesWithOneSeedWriteTheSameRun(string model, string data, string noise, string steps, string batch)
    {
        using var folder = new TempFolder();
        var runs = new[] { folder.File("a"), folder.File("b") };
        foreach (var run in runs)
        {
            string[] args = ["train", "--model", model, "--data", data, "--noise", noise, "--lr", "0.01", "--momentum", "0.9", "--batch", batch,
                "--steps", steps, "--eval-every", (long.Parse(steps) / 2).ToString(), "--seed", "11", "--out", run];
            if (data == "fashion-mnist") args = [.. args, "--train-size", model == "resnet18" ? "10" : "40", "--test-size", model == "resnet18" ? "10" : "20"];
            var result = CliProcess.Run(args);
            Assert.True(result.ExitCode == 0, result.Error);
        }
        Assert.Equal(MetricsWithoutTime(runs[0]), MetricsWithoutTime(runs[1]));
        Assert.Equal(3, MetricsWithoutTime(runs[0]).Length - 1); // steps 0, T/2, T
        string final = Path.Combine(runs[0], Trainer.FinalParametersFile);
        string weights = File.Exists(final) ? Trainer.FinalParametersFile : Path.Combine(Checkpoint.FolderName, ParameterSource.StateDictFile);
        Assert.True(File.Exists(Path.Combine(runs[0], weights)), weights);
        Assert.Equal(File.ReadAllBytes(Path.Combine(runs[0], weights)), File.ReadAllBytes(Path.Combine(runs[1], weights)));
    }

    static string[] MetricsWithoutTime(string run)
    {
        var lines = File.ReadAllLines(Path.Combine(run, MetricsSink.CsvFile));
        int elapsed = Array.IndexOf(lines[0].Split(','), "elapsed_s");
        Assert.True(elapsed >= 0);
        return [.. lines.Select(l => string.Join(",", l.Split(',').Where((_, c) => c != elapsed)))];
    }
}
