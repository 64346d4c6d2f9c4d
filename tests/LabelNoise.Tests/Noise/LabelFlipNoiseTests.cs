using LabelNoise.Noise;
using LabelNoise.Randomness;
using LabelNoise.Tests.TestSupport;

namespace LabelNoise.Tests.Noise;

public class LabelFlipNoiseTests
{
    [Fact]
    public void FlipsWithProbabilityPToEveryOtherClassUniformly()
    {
        const int classes = 4, draws = 40000;
        const double p = 0.2;
        var data = TestData.Images(classes, 2, classes, seed: 1); // example 2 has label 2
        var labels = ((HardLabels)new LabelFlipNoise(p).Perturb(data, Enumerable.Repeat(2, draws).ToArray(), new RandomStream(11))).Labels;
        for (int c = 0; c < classes; c++)
        {
            double expected = c == 2 ? 1 - p : p / (classes - 1);
            double frequency = labels.Count(l => l == c) / (double)draws;
            double standardError = Math.Sqrt(expected * (1 - expected) / draws);
            Assert.True(Math.Abs(frequency - expected) < 5 * standardError, $"class {c}: frequency {frequency}, expected {expected}");
        }
    }

    [Fact]
    public void ZeroProbabilityKeepsEveryLabel()
    {
        var data = TestData.Images(10, 2, 5, seed: 1);
        int[] batch = [0, 1, 2, 3, 4, 9, 9];
        var labels = ((HardLabels)new LabelFlipNoise(0).Perturb(data, batch, new RandomStream(1))).Labels;
        Assert.Equal(batch.Select(i => data.Labels[i]), labels);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.01)]
    public void RejectsProbabilitiesOutsideZeroToOne(double p) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LabelFlipNoise(p));
}
