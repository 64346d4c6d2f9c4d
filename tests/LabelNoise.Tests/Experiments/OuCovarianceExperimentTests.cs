using LabelNoise.Experiments;
using LabelNoise.Tests.TestSupport;
using static LabelNoise.Tests.TestSupport.CsvRewrite;
using static LabelNoise.Tests.TestSupport.ClaimMargins;

namespace LabelNoise.Tests.Experiments;

public class OuCovarianceExperimentTests
{

    [Fact]
    public void ClaimsHoldAndBreakingTheDataFlipsThem()
    {
        using var folder = new TempFolder();
        var experiment = new OuCovarianceExperiment();
        var summary = ExperimentRunner.Run(experiment, folder.Path, ExperimentScale.Tiny, 0);
        var root = Path.Combine(folder.Path, experiment.Name);
        Assert.Equal(4, summary.Claims.Count);
        Assert.All(WithConsistentMargins(summary.Claims), c => Assert.True(c.Holds, c.Statement + ": " + c.Measured));
        foreach (var figure in summary.Figures)
            Assert.True(new FileInfo(Path.Combine(root, figure.Name + ".png")).Length > 1000, figure.Name);
        Assert.Contains(summary.Figures, f => f.Name == "relative-error");
        Assert.Contains(summary.Figures, f => f.Name == "trace");

        // The empirical covariance replaced by the paper's (b): it no longer matches (a), and (b) is no longer resolved.
        var entries = Path.Combine(root, "entries.csv");
        var original = File.ReadAllText(entries);
        Rewrite(entries, (t, i, c) => c == "empirical" ? t[i, "paper"] : t[i, c]);
        var claims = WithConsistentMargins(experiment.Evaluate(root));
        Assert.False(claims[0].Holds);
        Assert.True(claims[2].Holds);
        Assert.False(claims[3].Holds);
        File.WriteAllText(entries, original);

        // The empirical covariance replaced by the small-η (c): (c) is then exact, and (b) no longer improves on it.
        Rewrite(entries, (t, i, c) => c == "empirical" ? t[i, "small_eta"] : t[i, c]);
        claims = WithConsistentMargins(experiment.Evaluate(root));
        Assert.False(claims[2].Holds);
        Assert.True(claims[1].Holds);
        File.WriteAllText(entries, original);

        // (b) made a constant distance from (a): no small-λ limit.
        Rewrite(Path.Combine(root, "theory.csv"), (t, i, c) => c == "relative_difference_paper" ? 0.1 : t[i, c]);
        claims = WithConsistentMargins(experiment.Evaluate(root));
        Assert.True(claims[0].Holds);
        Assert.False(claims[1].Holds);
    }

    [Fact]
    public void SameSeedSameNumbers()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        var experiment = new OuCovarianceExperiment();
        ExperimentRunner.Run(experiment, a.Path, ExperimentScale.Tiny, 5);
        ExperimentRunner.Run(experiment, b.Path, ExperimentScale.Tiny, 5);
        foreach (var name in new[] { "entries.csv", "traces.csv", "theory.csv" })
            Assert.Equal(File.ReadAllText(Path.Combine(a.Path, experiment.Name, name)), File.ReadAllText(Path.Combine(b.Path, experiment.Name, name)));
    }
}
