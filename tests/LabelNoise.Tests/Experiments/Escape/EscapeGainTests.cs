using LabelNoise.Experiments;
using LabelNoise.Files;
using LabelNoise.Tests.TestSupport;

namespace LabelNoise.Tests.Experiments;

public class EscapeGainTests
{
    static readonly int[] Sizes = [1000, 2000, 4000, 8000];

    /// <summary>
    /// gain.csv where seed s's gain at size n is <paramref name="gain"/>(n) + (s − 1)/10 points (plain SGD at 75 %), and gain-inits.csv
    /// whose polished init fits its training set except at the sizes in <paramref name="unfit"/> (98.9 %).
    /// </summary>
    static void WriteGains(string folder, Func<int, int, double> gain, params int[] unfit)
    {
        var table = new CsvTable(EscapeGain.Columns);
        var inits = new CsvTable(["train_size", .. InitPhase.Columns]);
        foreach (int n in Sizes)
        {
            for (int seed = 0; seed < 3; seed++)
            {
                table.Add(n, (int)EscapeMethod.Sgd, seed, 0.74, 0.75, 0.75, 1);
                table.Add(n, (int)EscapeMethod.LabelNoise, seed, 0.74, 0.75 + (gain(n, seed) + (seed - 1) / 10.0) / 100, 0.76, 0.99);
            }
            foreach (var phase in new[] { (1, 0.9), (2, 1.0), (3, unfit.Contains(n) ? 0.989 : 1.0) })
                inits.Add([n, .. new InitPhase(EscapeInit.Adversarial, phase.Item1, 100, phase.Item2, 0.74, 1).Row()]);
        }
        table.Write(Path.Combine(folder, EscapeGain.GainFile));
        inits.Write(Path.Combine(folder, EscapeGain.InitsFile));
    }

    [Fact]
    public void AGainThatFallsOnePointPerDoublingIsThatTrendWithItsTextbookStandardErrorAndFailsTheDoesNotShrinkClaim()
    {
        using var folder = new TempFolder();
        WriteGains(folder.Path, (n, _) => 6 - Math.Log2(n / 1000.0));
        var gains = EscapeGain.Gains(folder.Path);
        Assert.Equal(Sizes.Select(n => (double)n), gains.Select(g => g.Size));
        Assert.All(gains, g => Assert.True(g.Valid));
        Assert.Equal([5.9, 6.0, 6.1], gains[0].Gains, (a, b) => Math.Abs(a - b) < 1e-9);
        var trend = EscapeGain.Trend(gains);
        // Residuals ±0.1 at each size: RSS = 4 × 0.02, Σ(x − x̄)² = 3 × (2.25 + 0.25 + 0.25 + 2.25) = 15, m − 2 = 10.
        Assert.Equal(-1, trend.Slope, 9);
        Assert.Equal(Math.Sqrt(0.08 / 10 / 15), trend.SlopeStandardError, 9);

        var claims = new EscapeGain().Evaluate(folder.Path);
        Assert.True(claims[0].Holds, claims[0].Measured);
        Assert.StartsWith("+1.5 points (smallest median) over the 1.5 required; 12 of 12 seeds meet it", claims[0].Margin);
        Assert.Equal(Verdict.DoesNotHold, claims[1].Verdict);
        Assert.Contains("the gain shrinks with n", claims[1].Measured);
        Assert.StartsWith("−", claims[1].Margin);
    }

    [Fact]
    public void AFlatGainDoesNotShrinkAndOneSeedUnderTheCriterionFailsTheEverySizeClaim()
    {
        using var folder = new TempFolder();
        WriteGains(folder.Path, (n, seed) => n == 4000 && seed == 0 ? 1.2 : 3);
        var claims = new EscapeGain().Evaluate(folder.Path);
        Assert.Equal(Verdict.DoesNotHold, claims[0].Verdict);
        Assert.Contains("11 of 12 seeds meet it", claims[0].Margin);
        Assert.True(claims[1].Holds, claims[1].Measured);
        Assert.Contains("no trend resolved", claims[1].Measured);
        Assert.StartsWith("+", claims[1].Margin);
    }

    [Fact]
    public void ASizeWhoseInitDoesNotFitItsTrainingSetIsLeftOutAndNamedAndOneSizeLeftIsNotATest()
    {
        using var folder = new TempFolder();
        WriteGains(folder.Path, (n, _) => n == 8000 ? -5 : 3, 8000);
        var claims = new EscapeGain().Evaluate(folder.Path);
        Assert.All(claims, c => Assert.True(c.Holds, $"{c.Statement}: {c.Measured}"));
        Assert.Contains("excluded, the init not fitting its training set: n = 8,000 (init 98.90 % training accuracy; gain −5.0)".Replace('−', '-'), claims[0].Measured);
        Assert.Contains("9 of 9 seeds meet it", claims[0].Margin);

        WriteGains(folder.Path, (_, _) => 3, 2000, 4000, 8000);
        Assert.All(new EscapeGain().Evaluate(folder.Path), c => Assert.Equal(Verdict.NotTestable, c.Verdict));
    }

    [Fact]
    public void TheMemorizationCapGrowsWithTheTrainingSetBeyondTheEscapesOwnSize()
    {
        var config = EscapeConfig.For(ExperimentScale.Laptop);
        Assert.Equal([1000, 2000, 4000, 8000], config.GainSizes);
        Assert.Same(config.Init, EscapeGain.RecipeAt(config, 2000));
        Assert.Equal(config.Init, EscapeGain.RecipeAt(config, 4000));
        var larger = EscapeGain.RecipeAt(config, 8000);
        Assert.Equal(2 * config.Init.Memorize.MaxSteps, larger.Memorize.MaxSteps);
        Assert.Equal(config.Init with { Memorize = larger.Memorize }, larger);
        Assert.DoesNotContain(ExperimentCatalog.Default, e => e.Name == EscapeGain.ExperimentName);
        Assert.Contains(ExperimentCatalog.All, e => e.Name == EscapeGain.ExperimentName);
    }
}
