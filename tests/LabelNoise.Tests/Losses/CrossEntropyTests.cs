using LabelNoise.Losses;
using TorchSharp;
using ScalarType = TorchSharp.torch.ScalarType;

namespace LabelNoise.Tests.Losses;

public class CrossEntropyTests
{
    [Theory]
    [InlineData(0.2, 10)]
    [InlineData(0.5, 3)]
    [InlineData(0.05, 2)]
    public void SmoothedMinimumIsTheEntropyOfTheTarget(double p, int classes)
    {
        // H(q) = −Σ_c q_c log q_c over the smoothed target q = (1 − p on the true class, p/(C − 1) on each other), summed here class by class.
        double entropy = 0;
        for (int c = 0; c < classes; c++)
        {
            double q = c == 0 ? 1 - p : p / (classes - 1);
            entropy -= q * Math.Log(q);
        }
        Assert.Equal(entropy, CrossEntropy.SmoothedMinimum(p, classes), 14);
        if (p == 0.2 && classes == 10) Assert.Equal(0.939847, entropy, 6); // the value quoted from the paper's code
    }

    [Fact]
    public void SmoothedCrossEntropyReachesItsMinimumAtTheTargetDistribution()
    {
        const double p = 0.2;
        const int classes = 4;
        // logits = log of the smoothed target: softmax gives the target back.
        var logTarget = new double[classes];
        for (int c = 0; c < classes; c++) logTarget[c] = Math.Log(c == 1 ? 1 - p : p / (classes - 1));
        using var logits = torch.tensor(logTarget, dtype: ScalarType.Float64).reshape(1, classes);
        using var labels = torch.tensor(new long[] { 1 });
        Assert.Equal(CrossEntropy.SmoothedMinimum(p, classes), CrossEntropy.SmoothedSum(logits, labels, p).item<double>(), 12);
        using var other = torch.zeros(1, classes, dtype: ScalarType.Float64);
        Assert.True(CrossEntropy.SmoothedSum(other, labels, p).item<double>() > CrossEntropy.SmoothedMinimum(p, classes));
    }

    [Fact]
    public void ZeroSmoothingIsPlainCrossEntropy()
    {
        using var logits = torch.tensor(new double[] { 0.3, -1.2, 2.0, 0.5, 0.5, 0.1 }).reshape(2, 3);
        using var labels = torch.tensor(new long[] { 2, 0 });
        Assert.Equal(CrossEntropy.Sum(logits, labels).item<double>(), CrossEntropy.SmoothedSum(logits, labels, 0).item<double>(), 14);
    }
}
