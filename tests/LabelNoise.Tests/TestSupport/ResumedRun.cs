using LabelNoise.Training;
using LabelNoise.Files;

namespace LabelNoise.Tests.TestSupport;

/// <summary>Resumes a cut run with <c>train --resume</c> and checks that it ends as the uninterrupted run did.</summary>
public static class ResumedRun
{
    /// <summary>The same final parameters, and the same steps and training losses in metrics.csv.</summary>
    public static void ResumeAndAssertSameAs(string uninterrupted, string cut)
    {
        var resumed = CliProcess.Run("train", "--resume", cut);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(File.ReadAllText(Path.Combine(uninterrupted, Trainer.FinalParametersFile)),
            File.ReadAllText(Path.Combine(cut, Trainer.FinalParametersFile)));
        var a = MetricsSink.ReadCsv(Path.Combine(uninterrupted, MetricsSink.CsvFile)).Rows;
        var b = MetricsSink.ReadCsv(Path.Combine(cut, MetricsSink.CsvFile)).Rows;
        Assert.Equal(a.Select(r => (r.Step, r["train_loss"])), b.Select(r => (r.Step, r["train_loss"])));
    }
}
