using LabelNoise.Data;

namespace LabelNoise.Tests.Data;

public sealed class SparseRegressionGeneratorTests
{
    static RegressionDataset Train(DataSplit split) => (RegressionDataset)split.Train;

    [Fact]
    public void TargetIsExactlyTheSumOfTheFirstRFeatures()
    {
        var split = SparseRegressionGenerator.Generate(d: 12, n: 30, r: 4, seed: 7, testSize: 20);
        foreach (var data in new[] { Train(split), (RegressionDataset)split.Test! })
        {
            Assert.Equal(12, data.FeatureCount);
            for (int i = 0; i < data.Count; i++)
            {
                var row = data.Row(i);
                double y = 0;
                for (int j = 0; j < 4; j++) y += row[j];
                Assert.Equal(y, data.Targets[i]);
            }
        }
        Assert.Equal(30, split.Train.Count);
        Assert.Equal(20, split.Test!.Count);
        Assert.Equal("sparse(d=12,n=30,r=4,seed=7)/train", split.Train.Name);
    }

    [Fact]
    public void TargetIsTheGroundTruthInnerProduct()
    {
        var w = SparseRegressionGenerator.GroundTruth(10, 3);
        Assert.Equal([1, 1, 1, 0, 0, 0, 0, 0, 0, 0], w);
        var data = Train(SparseRegressionGenerator.Generate(10, 5, 3, 2));
        for (int i = 0; i < data.Count; i++)
        {
            double dot = 0;
            for (int j = 0; j < 10; j++) dot += w[j] * data.Feature(i, j);
            Assert.Equal(dot, data.Targets[i], 1e-12);
        }
    }

    [Fact]
    public void DeterministicForASeedAndDifferentAcrossSeeds()
    {
        var a = SparseRegressionGenerator.Generate(20, 10, 5, 1);
        var b = SparseRegressionGenerator.Generate(20, 10, 5, 1);
        var c = SparseRegressionGenerator.Generate(20, 10, 5, 2);
        Assert.Equal(Train(a).Features, Train(b).Features);
        Assert.Equal(Train(a).Targets, Train(b).Targets);
        Assert.Equal(((RegressionDataset)a.Test!).Features, ((RegressionDataset)b.Test!).Features);
        Assert.NotEqual(Train(a).Features, Train(c).Features);
        Assert.NotEqual(Train(a).Features, ((RegressionDataset)a.Test!).Features.Take(200));
    }

    [Fact]
    public void TrainingSetDoesNotDependOnTestSize()
    {
        var withTest = SparseRegressionGenerator.Generate(8, 6, 2, 3);
        var withoutTest = SparseRegressionGenerator.Generate(8, 6, 2, 3, testSize: 0);
        Assert.Equal(Train(withTest).Features, Train(withoutTest).Features);
        Assert.Equal(SparseRegressionGenerator.DefaultTestSize, withTest.Test!.Count);
        Assert.Null(withoutTest.Test);
    }

    [Fact]
    public void FeaturesAreStandardNormal()
    {
        // 100,000 draws: the sample mean has standard error 1/sqrt(N) and the sample variance sqrt(2/N).
        var data = Train(SparseRegressionGenerator.Generate(d: 50, n: 2000, r: 5, seed: 12345, testSize: 0));
        var x = data.Features;
        double count = x.Length;
        double mean = x.Average();
        double variance = x.Select(v => (v - mean) * (v - mean)).Sum() / (count - 1);
        Assert.InRange(mean, -5 / Math.Sqrt(count), 5 / Math.Sqrt(count));
        Assert.InRange(variance, 1 - 5 * Math.Sqrt(2 / count), 1 + 5 * Math.Sqrt(2 / count));

        // Neighbouring coordinates are uncorrelated: the sample covariance has standard error 1/sqrt(n).
        double covariance = 0;
        for (int i = 0; i < data.Count; i++) covariance += data.Feature(i, 0) * data.Feature(i, 1);
        covariance /= data.Count;
        Assert.InRange(covariance, -5 / Math.Sqrt(data.Count), 5 / Math.Sqrt(data.Count));
    }

    [Theory]
    [InlineData(0, 10, 1, "d", "0")]
    [InlineData(5, 0, 1, "n", "0")]
    [InlineData(5, 10, 0, "r", "0")]
    [InlineData(5, 10, 6, "r", "6")]
    public void RejectsBadSizes(int d, int n, int r, string parameter, string value)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SparseRegressionGenerator.Generate(d, n, r, 1));
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(value, e.Message);
    }

    [Fact]
    public void GroundTruthRejectsBadSizes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SparseRegressionGenerator.GroundTruth(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SparseRegressionGenerator.GroundTruth(3, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => SparseRegressionGenerator.Generate(3, 4, 1, 1, testSize: -1));
    }
}
