using LabelNoise.Losses;
using TorchSharp;
using ScalarType = TorchSharp.torch.ScalarType;

namespace LabelNoise.Tests.Losses;

public class CrossEntropyTests
{
    [Fact]
    public void SmoothedMinimumIsTheEntropyOfTheTarget() =>
        Assert.Equal(0.93984, CrossEntropy.SmoothedMinimum(0.2, 10), 4); // the value quoted from the paper's code (0.939847)

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
