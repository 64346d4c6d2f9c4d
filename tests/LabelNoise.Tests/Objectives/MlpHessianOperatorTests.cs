using LabelNoise.Curvature;
using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Objectives;
using LabelNoise.Tests.TestSupport;
using TorchSharp;
using LabelNoise.Randomness;
using ScalarType = TorchSharp.torch.ScalarType;

namespace LabelNoise.Tests.Objectives;

public class MlpHessianOperatorTests
{
    static TorchObjective Network(Dataset data, Activation activation = Activation.Relu, int chunkSize = 1024, double flip = 0.2,
        ScalarType dtype = ScalarType.Float64)
    {
        int outputs = data is ClassificationDataset c ? c.ClassCount : 1;
        var net = new Mlp(data.FeatureCount, [7, 5], outputs, activation);
        ParameterInitializer.Initialize(net, new RandomStream(3));
        net.to(dtype);
        return new TorchObjective(net, data, flip, chunkSize);
    }

    static void AssertClose(double[] expected, double[] actual, double relative)
    {
        double scale = expected.Max(Math.Abs);
        Assert.True(scale > 0, "the reference product is zero: the test would prove nothing");
        for (int j = 0; j < expected.Length; j++)
            Assert.True(Math.Abs(expected[j] - actual[j]) <= relative * scale, $"entry {j}: {actual[j]} vs double backward's {expected[j]}");
    }

    [Theory]
    [InlineData(0.2, 1024)] // one chunk
    [InlineData(0.0, 1024)] // hard labels
    [InlineData(0.2, 5)]    // 5 chunks: states kept
    [InlineData(0.2, 2)]    // 12 chunks: states rebuilt per product
    public void ClassificationProductsEqualDoubleBackward(double flip, int chunkSize)
    {
        using var objective = Network(TestData.Images(23, 3, 4, seed: 1), chunkSize: chunkSize, flip: flip);
        var written = objective.Hessian();
        Assert.IsType<MlpHessianOperator>(written);
        var reference = objective.AutogradHessian();
        foreach (ulong seed in new ulong[] { 5, 6 })
        {
            var v = TestData.Gaussian(objective.Dimension, seed);
            AssertClose(reference.Apply(v), written.Apply(v), 1e-12);
        }
    }

    [Fact]
    public void RegressionProductsEqualDoubleBackward()
    {
        using var objective = Network(TestData.Regression(17, 4, seed: 2), chunkSize: 6);
        var v = TestData.Gaussian(objective.Dimension, 7);
        AssertClose(objective.AutogradHessian().Apply(v), objective.Hessian().Apply(v), 1e-12);
    }

    [Fact]
    public void AFloat32NetworkAgreesToSinglePrecision()
    {
        using var objective = Network(TestData.Images(40, 3, 3, seed: 3), dtype: ScalarType.Float32);
        var v = TestData.Gaussian(objective.Dimension, 8);
        AssertClose(objective.AutogradHessian().Apply(v), objective.Hessian().Apply(v), 1e-5);
    }

    [Fact]
    public void AMovedPointGivesTheNewPointsHessian()
    {
        using var objective = Network(TestData.Images(12, 3, 3, seed: 4));
        var v = TestData.Gaussian(objective.Dimension, 9);
        var before = objective.Hessian().Apply(v);
        objective.SetParameters(TestData.Gaussian(objective.Dimension, 10));
        var after = objective.Hessian().Apply(v);
        AssertClose(objective.AutogradHessian().Apply(v), after, 1e-12);
        Assert.True(before.Zip(after).Any(p => Math.Abs(p.First - p.Second) > 1e-6), "the point moved, so the product must change");
    }

    [Fact]
    public void OtherActivationsUseDoubleBackward()
    {
        using var objective = Network(TestData.Images(6, 3, 3, seed: 5), activation: Activation.Tanh);
        Assert.Null(MlpHessianOperator.TryCreate(objective));
        Assert.IsNotType<MlpHessianOperator>(objective.Hessian());
    }
}
