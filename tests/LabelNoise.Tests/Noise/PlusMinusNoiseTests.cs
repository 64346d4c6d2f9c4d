using LabelNoise;
using LabelNoise.Noise;
using LabelNoise.Randomness;
using LabelNoise.Tests.TestSupport;

namespace LabelNoise.Tests.Noise;

public class PlusMinusNoiseTests
{
    [Fact]
    public void SameSeedGivesSigmaTimesTheUnitNoise()
    {
        var data = TestData.Regression(20, 3, seed: 1);
        int[] batch = [3, 3, 7, 0, 19, 4];
        var unit = ((RegressionTargets)new PlusMinusNoise(1).Perturb(data, batch, new RandomStream(9))).Values;
        var scaled = ((RegressionTargets)new PlusMinusNoise(0.37).Perturb(data, batch, new RandomStream(9))).Values;
        for (int k = 0; k < batch.Length; k++)
        {
            double e1 = unit[k] - data.Targets[batch[k]];
            Assert.True(Math.Abs(e1) == 1.0, $"unit noise must be ±1, got {e1}");
            Assert.Equal(0.37 * e1, scaled[k] - data.Targets[batch[k]], 14);
        }
    }

    [Fact]
    public void DrawsFreshNoiseForEverySampledIndexIncludingRepeats()
    {
        var data = TestData.Regression(2, 1, seed: 1);
        var batch = Enumerable.Repeat(0, 64).ToArray();
        var values = ((RegressionTargets)new PlusMinusNoise(1).Perturb(data, batch, new RandomStream(3))).Values;
        Assert.Contains(values, v => v > data.Targets[0]);
        Assert.Contains(values, v => v < data.Targets[0]);
    }

    [Fact]
    public void SignsAreBalancedWithinFiveStandardErrors()
    {
        var data = TestData.Regression(1, 1, seed: 1);
        const int draws = 20000;
        var values = ((RegressionTargets)new PlusMinusNoise(1).Perturb(data, new int[draws], new RandomStream(5))).Values;
        double mean = values.Average(v => v - data.Targets[0]);
        Assert.True(Math.Abs(mean) < 5 / Math.Sqrt(draws), $"mean of ±1 noise {mean} is more than 5 standard errors from 0");
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void RejectsImpossibleSigma(double sigma) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlusMinusNoise(sigma));

    [Fact]
    public void RefusesClassificationData()
    {
        var images = TestData.Images(4, 2, 2, seed: 1);
        var e = Assert.Throws<SettingException>(() => new PlusMinusNoise(1).Perturb(images, [0], new RandomStream(1)));
        Assert.Contains("flip:p", e.Message);
    }
}
