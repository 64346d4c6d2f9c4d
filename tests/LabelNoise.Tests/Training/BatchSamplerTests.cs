using LabelNoise.Randomness;
using LabelNoise.Training;

namespace LabelNoise.Tests.Training;

public class BatchSamplerTests
{
    [Fact]
    public void DrawsWithReplacement()
    {
        // With replacement, a batch of B = n = 5 repeats an index with probability 1 − 5!/5⁵ = 0.9616;
        // without replacement it never would.
        const int trials = 20000;
        var generator = new RandomStream(21);
        int withRepeat = 0;
        for (int t = 0; t < trials; t++)
            if (BatchSampler.WithReplacement(5, 5, generator).Distinct().Count() < 5) withRepeat++;
        double expected = 1 - 120.0 / 3125.0;
        double standardError = Math.Sqrt(expected * (1 - expected) / trials);
        Assert.True(Math.Abs(withRepeat / (double)trials - expected) < 5 * standardError, $"repeat frequency {withRepeat / (double)trials}, expected {expected}");
    }

    [Fact]
    public void EveryIndexIsEquallyLikely()
    {
        const int n = 7, batch = 10, trials = 10000;
        var counts = new int[n];
        var generator = new RandomStream(4);
        for (int t = 0; t < trials; t++)
            foreach (var i in BatchSampler.WithReplacement(n, batch, generator)) counts[i]++;
        double draws = trials * batch, p = 1.0 / n;
        foreach (var c in counts)
            Assert.True(Math.Abs(c / draws - p) < 5 * Math.Sqrt(p * (1 - p) / draws), $"count {c} of {draws}");
    }

    [Fact]
    public void RejectsEmptyBatches() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchSampler.WithReplacement(5, 0, new RandomStream(1)));
}
