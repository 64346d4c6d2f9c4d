using LabelNoise.Tests.TestSupport;

namespace LabelNoise.Tests.Cli;

public class SweepCommandTests
{
    static string[] Grid(string folder) =>
        ["sweep", "--model", "quadratic", "--data", "sparse:d=8,n=4,r=2,seed=1", "--noise", "pm:1", "--lr", "0.01,0.005", "--seed", "0,1",
         "--batch", "1", "--steps", "2000", "--eval-every", "1000", "--out", folder];

    [Fact]
    public void RunsEveryPointAndSummarizesThem()
    {
        using var folder = new TempFolder();
        var result = CliProcess.Run(Grid(folder.Path));
        Assert.True(result.ExitCode == 0, result.Error);
        var summary = File.ReadAllLines(Path.Combine(folder.Path, "summary.csv"));
        Assert.Equal("index,lr,seed,status,step,train_loss,train_accuracy,test_loss,test_accuracy,grad_norm,elapsed_s", summary[0]);
        Assert.Equal(5, summary.Length);
        Assert.All(summary.Skip(1), row => Assert.Contains(",finished,2000,", row));
        Assert.StartsWith("3,0.005,1,", summary[4]);
        // The same seed at the same learning rate gives the same run as a lone 'train'.
        using var lone = new TempFolder();
        CliProcess.Run("train", "--model", "quadratic", "--data", "sparse:d=8,n=4,r=2,seed=1", "--noise", "pm:1", "--lr", "0.005", "--seed", "1", "--batch", "1", "--steps", "2000", "--out", lone.Path);
        Assert.Equal(File.ReadAllText(Path.Combine(lone.Path, "final-params.txt")), File.ReadAllText(Path.Combine(folder.Path, "run-003", "final-params.txt")));
    }

    [Fact]
    public void OnePointByIndexThenCollect()
    {
        using var folder = new TempFolder();
        var one = CliProcess.Run([.. Grid(folder.Path), "--index", "2"]);
        Assert.True(one.ExitCode == 0, one.Error);
        Assert.True(Directory.Exists(Path.Combine(folder.Path, "run-002")));
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "run-000")));
        Assert.Contains("already finished", CliProcess.Run([.. Grid(folder.Path), "--index", "2"]).Output);
        var collect = CliProcess.Run("sweep", "--collect", folder.Path);
        Assert.Equal(0, collect.ExitCode);
        Assert.Contains("2,0.005,0,finished,2000,", collect.Output);
        Assert.Contains("0,0.01,0,not run,", collect.Output);
        Assert.Equal(2, CliProcess.Run([.. Grid(folder.Path), "--index", "4"]).ExitCode);
    }
}
