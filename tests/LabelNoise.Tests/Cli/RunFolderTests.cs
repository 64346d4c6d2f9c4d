using System.Diagnostics;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Training;
using LabelNoise.Files;

namespace LabelNoise.Tests.Cli;

/// <summary>Two processes cannot write one run folder, and a resume that does not match its folder changes nothing.</summary>
public class RunFolderTests
{
    static string[] Train(string folder, long steps) =>
        ["train", "--model", "quadratic", "--data", "sparse:d=20,n=10,r=2,seed=1", "--noise", "pm:1", "--lr", "0.005", "--batch", "1",
         "--steps", steps.ToString(), "--eval-every", "1000", "--checkpoint-every", "100000", "--out", folder];

    static void OneSentence((int ExitCode, string Output, string Error) result, string part)
    {
        Assert.Equal(2, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1 && lines[0].StartsWith("error:", StringComparison.Ordinal), result.Error);
        Assert.Contains(part, lines[0]);
    }

    static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != RunLock.FileName)
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes);

    [Fact]
    public async Task ASecondTrainOrResumeIsRefusedWhileTheFirstRuns()
    {
        using var temp = new TempFolder();
        string run = temp.File("run");
        using var first = CliProcess.Start(Train(run, 400_000_000));
        var firstError = first.StandardError.ReadToEndAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            var metrics = Path.Combine(run, MetricsSink.CsvFile);
            while ((!File.Exists(metrics) || File.ReadAllLines(metrics).Length < 3) && !first.HasExited && clock.Elapsed.TotalSeconds < 60) Thread.Sleep(10);
            Assert.False(first.HasExited, "the first run ended too early");

            OneSentence(CliProcess.Run(Train(run, 500)), "in use by another running labelnoise process");
            OneSentence(CliProcess.Run("train", "--resume", run), "in use by another running labelnoise process");
            Assert.Equal(400_000_000, RunConfigFile.Read(run).Steps);
        }
        finally
        {
            using (var interrupt = Process.Start("kill", ["-INT", first.Id.ToString()])) interrupt.WaitForExit();
            if (!first.WaitForExit(30_000)) first.Kill();
        }
        Assert.Equal(130, first.ExitCode);
        var rows = MetricsSink.ReadCsv(Path.Combine(run, MetricsSink.CsvFile)).Rows;
        Assert.Equal(rows.Select(r => r.Step), rows.Select((_, i) => 1000L * i)); // only the first run's rows, in order
        Assert.Contains("--resume", await firstError);
    }

    [Fact]
    public void ANewRunIntoAFolderThatDiedBeforeItsFirstCheckpointIsRefused()
    {
        using var temp = new TempFolder();
        string run = temp.File("run");
        Assert.Equal(0, CliProcess.Run(Train(run, 2000)).ExitCode);
        OneSentence(CliProcess.Run(Train(run, 2000)), "already holds a run");
        Directory.Delete(Checkpoint.FolderOf(run), true);
        OneSentence(CliProcess.Run(Train(run, 2000)), "stopped before its first checkpoint");
    }

    [Theory]
    [InlineData("\"Model\": \"quadratic\"", "\"Model\": \"linear\"", "Model = ")]
    [InlineData("\"Data\": \"sparse:d=20,n=10,r=2,seed=1\"", "\"Data\": \"sparse:d=20,n=10,r=2,seed=2\"", "Data = ")]
    [InlineData("\"BatchSize\": 1", "\"BatchSize\": 2", "BatchSize = ")]
    [InlineData("\"Steps\": 2000", "\"Steps\": 2000,", "not a valid run configuration")]
    public void AResumeThatDoesNotMatchItsFolderIsOneSentenceAndChangesNothing(string find, string replace, string part)
    {
        using var temp = new TempFolder();
        string run = temp.File("run");
        Assert.Equal(0, CliProcess.Run(Train(run, 2000)).ExitCode);
        var config = Path.Combine(run, RunConfigFile.FileName);
        string text = File.ReadAllText(config);
        Assert.Contains(find, text);
        File.WriteAllText(config, text.Replace(find, replace, StringComparison.Ordinal));
        var before = Snapshot(run);
        OneSentence(CliProcess.Run("train", "--resume", run, "--steps", "3000"), part);
        var after = Snapshot(run);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, kv => Assert.Equal(kv.Value, after[kv.Key]));
    }
}
