using LabelNoise.Data;
using LabelNoise.Randomness;

namespace LabelNoise.Tests.TestSupport;

/// <summary>Small data sets made in memory for tests.</summary>
public static class TestData
{
    /// <summary>x ~ N(0, I); y = ⟨w, x⟩ for the given w (so w interpolates), or N(0,1) targets when w is null.</summary>
    public static RegressionDataset Regression(int count, int features, ulong seed, double[]? weights = null)
    {
        var generator = new RandomStream(seed);
        var x = new double[count * features];
        var y = new double[count];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < features; j++) x[i * features + j] = generator.NextGaussian();
            y[i] = weights is null ? generator.NextGaussian() : Enumerable.Range(0, features).Sum(j => weights[j] * x[i * features + j]);
        }
        return new RegressionDataset("test-regression", features, x, y);
    }

    /// <summary>n independent N(0, 1) numbers.</summary>
    public static double[] Gaussian(int n, ulong seed)
    {
        var generator = new RandomStream(seed);
        return Enumerable.Range(0, n).Select(_ => generator.NextGaussian()).ToArray();
    }

    /// <summary>Images [1, side, side] with pixels in [0, 1] and labels in [0, classes).</summary>
    public static ClassificationDataset Images(int count, int side, int classes, ulong seed)
    {
        var generator = new RandomStream(seed);
        var x = new float[count * side * side];
        for (int i = 0; i < x.Length; i++) x[i] = (float)generator.NextDouble();
        var labels = Enumerable.Range(0, count).Select(i => i % classes).ToArray();
        return new ClassificationDataset("test-images", [1, side, side], x, labels, classes);
    }
}
