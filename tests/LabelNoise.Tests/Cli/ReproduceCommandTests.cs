using LabelNoise.Tests.TestSupport;
using LabelNoise.Report;

namespace LabelNoise.Tests.Cli;

public class ReproduceCommandTests
{
    [Fact]
    public void FromDataWithoutResultsExitsTwoWithOneSentence()
    {
        using var folder = new TempFolder();
        var result = CliProcess.Run("reproduce", "escape", "--from-data", "--out", folder.Path);
        Assert.Equal(2, result.ExitCode);
        var error = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains("holds no results to recompute; run 'labelnoise reproduce escape' first", error);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.False(File.Exists(Path.Combine(folder.Path, "report.md")));
    }

    [Fact]
    public void TinyRegularizationStrengthRecordsTheMachineAndReportsItFirst()
    {
        using var folder = new TempFolder();
        var result = CliProcess.Run("reproduce", "regularization-strength", "--tiny", "--out", folder.Path);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("GFLOP/s", result.Output);
        var run = LabelNoise.Report.ReproduceRun.Read(folder.Path)!;
        Assert.Equal(["regularization-strength"], run.Experiments);
        Assert.True(run.MatmulGflopsBefore > 0 && run.MatmulGflopsAfter > 0 && run.WallSeconds > 0);
        var report = File.ReadAllText(Path.Combine(folder.Path, "report.md"));
        Assert.True(report.IndexOf("GFLOP/s", StringComparison.Ordinal) < report.IndexOf("## Summary", StringComparison.Ordinal));

        var again = CliProcess.Run("reproduce", "regularization-strength", "--from-data", "--out", folder.Path);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("recomputed from the data", again.Output);
    }
}
