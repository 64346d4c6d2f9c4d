using System.Diagnostics;
using LabelNoise.Training;
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

    [Theory]
    [InlineData("--threads", "abc")]
    [InlineData("--parallel", "two")]
    [InlineData("--index", "9")]
    public void BadOptionsAreOneSentenceAndLeaveNoFolder(string option, string value)
    {
        using var folder = new TempFolder();
        string output = folder.File("sweep");
        var result = CliProcess.Run([.. Grid(output), option, value]);
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.StartsWith("error:", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", result.Error);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task InterruptingTheSweepStopsEveryWorkerAtACheckpoint()
    {
        using var folder = new TempFolder();
        string[] args = ["sweep", "--model", "quadratic", "--data", "sparse:d=8,n=4,r=2,seed=1", "--noise", "pm:1", "--lr", "0.01", "--seed", "0,1",
            "--batch", "1", "--steps", "500000000", "--eval-every", "500000000", "--parallel", "2", "--out", folder.Path];
        using (var process = CliProcess.Start(args))
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            // Both workers are running once both have written their first metrics row (at step 0).
            while (!new[] { "run-000", "run-001" }.All(r => File.Exists(Path.Combine(folder.Path, r, "metrics.csv"))) && !process.HasExited && clock.Elapsed.TotalSeconds < 60)
                Thread.Sleep(20);
            Thread.Sleep(500);
            Assert.False(process.HasExited, "the sweep ended before it could be interrupted");
            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString()])) kill.WaitForExit(); // the parent only, as a scheduler would
            Assert.True(process.WaitForExit(60_000), "the sweep did not stop after SIGINT");
            string text = await output + await error;
            Assert.True(process.ExitCode == 130, text);
            Assert.Contains("interrupted", text);
        }
        foreach (var run in new[] { "run-000", "run-001" })
        {
            Assert.True(Checkpoint.Exists(Path.Combine(folder.Path, run)), run);
            Assert.False(File.Exists(Path.Combine(folder.Path, run, Trainer.FinalParametersFile)), run);
        }
    }
}
