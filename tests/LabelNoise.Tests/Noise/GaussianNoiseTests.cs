using LabelNoise.Noise;
using LabelNoise.Randomness;
using LabelNoise.Tests.TestSupport;

namespace LabelNoise.Tests.Noise;

public class GaussianNoiseTests
{
    [Fact]
    public void SameSeedGivesSigmaTimesTheStandardNoise()
    {
        var data = TestData.Regression(10, 2, seed: 2);
        int[] batch = [1, 2, 3, 1];
        var unit = ((RegressionTargets)new GaussianNoise(1).Perturb(data, batch, new RandomStream(4))).Values;
        var scaled = ((RegressionTargets)new GaussianNoise(2.5).Perturb(data, batch, new RandomStream(4))).Values;
        for (int k = 0; k < batch.Length; k++)
            Assert.Equal(2.5 * (unit[k] - data.Targets[batch[k]]), scaled[k] - data.Targets[batch[k]], 12);
    }

    [Fact]
    public void HasMeanZeroAndVarianceSigmaSquaredWithinFiveStandardErrors()
    {
        var data = TestData.Regression(1, 1, seed: 1);
        const int draws = 40000;
        const double sigma = 0.5;
        var e = ((RegressionTargets)new GaussianNoise(sigma).Perturb(data, new int[draws], new RandomStream(8))).Values
            .Select(v => v - data.Targets[0]).ToArray();
        double mean = e.Average(), variance = e.Average(v => v * v);
        Assert.True(Math.Abs(mean) < 5 * sigma / Math.Sqrt(draws), $"mean {mean}");
        // Var(ε²) = 2σ⁴ for a Gaussian.
        Assert.True(Math.Abs(variance - sigma * sigma) < 5 * Math.Sqrt(2) * sigma * sigma / Math.Sqrt(draws), $"variance {variance}");
    }
}
