using System.Diagnostics;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Training;
using LabelNoise.Files;

namespace LabelNoise.Tests.Cli;

public class TrainCommandTests
{
    static string[] Args(string folder, long steps) =>
    [
        "train", "--model", "quadratic", "--data", "sparse", "--noise", "pm:1", "--lr", "0.005", "--batch", "1",
        "--steps", steps.ToString(), "--eval-every", "100000", "--checkpoint-every", "50000", "--seed", "3", "--out", folder,
    ];

    [Fact]
    public void KilledRunResumesToTheUninterruptedTrajectory()
    {
        const long steps = 3_000_000;
        using var folder = new TempFolder();
        var whole = CliProcess.Run(Args(folder.File("whole"), steps));
        Assert.True(whole.ExitCode == 0, whole.Error);

        string cut = folder.File("cut");
        using (var process = CliProcess.Start(Args(cut, steps)))
        {
            var state = Path.Combine(Checkpoint.FolderOf(cut), "state.json");
            var clock = Stopwatch.StartNew();
            while (!File.Exists(state) && !process.HasExited && clock.Elapsed.TotalSeconds < 60) Thread.Sleep(5);
            Assert.False(process.HasExited, "the run finished before it could be killed");
            process.Kill(); // SIGKILL: no chance to clean up
            process.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(cut, Trainer.FinalParametersFile)));
        ResumedRun.ResumeAndAssertSameAs(folder.File("whole"), cut);
    }

    [Fact]
    public void PrintsAPlainProgressLineAndASummaryWhenRedirected()
    {
        using var folder = new TempFolder();
        var result = CliProcess.Run(Args(folder.File("run"), 1000));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("train: step 1,000/1,000", result.Output);
        Assert.Contains("done: 1,000 steps", result.Output);
        Assert.True(File.Exists(Path.Combine(folder.File("run"), RunConfigFile.FileName)));
    }

    [Fact]
    public async Task InterruptCheckpointsAndStopsThenResumeFinishes()
    {
        using var folder = new TempFolder();
        string run = folder.File("run");
        var args = Args(run, 200_000_000);
        args[Array.IndexOf(args, "--checkpoint-every") + 1] = "0";
        using (var process = CliProcess.Start(args))
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var metrics = Path.Combine(run, MetricsSink.CsvFile);
            var clock = Stopwatch.StartNew();
            while ((!File.Exists(metrics) || File.ReadAllLines(metrics).Length < 3) && !process.HasExited && clock.Elapsed.TotalSeconds < 60) Thread.Sleep(10);
            Assert.False(process.HasExited, "the run ended before it could be interrupted");
            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString()])) kill.WaitForExit();
            Assert.True(process.WaitForExit(30_000), "the run did not stop after SIGINT");
            Assert.Equal(130, process.ExitCode);
            Assert.Contains("--resume", await stderr);
        }
        var state = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Checkpoint.FolderOf(run), "state.json")));
        long step = state.RootElement.GetProperty("Step").GetInt64();
        Assert.InRange(step, 100_000, 199_999_999);
        var resumed = CliProcess.Run("train", "--resume", run, "--steps", (step + 1000).ToString());
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.True(File.Exists(Path.Combine(run, Trainer.FinalParametersFile)));
    }
}
