using LabelNoise.Curvature;
using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Objectives;
using LabelNoise.Tests.TestSupport;
using TorchSharp;
using LabelNoise.Randomness;

namespace LabelNoise.Tests.Objectives;

public class MlpGaussNewtonTraceTests
{
    static TorchObjective Network(Dataset data, Activation activation, int chunkSize = 1024, double flip = 0.2)
    {
        int outputs = data is ClassificationDataset c ? c.ClassCount : 1;
        var net = new Mlp(data.FeatureCount, [6, 5], outputs, activation);
        ParameterInitializer.Initialize(net, new RandomStream(4));
        net.to(torch.ScalarType.Float64);
        return new TorchObjective(net, data, flip, chunkSize);
    }

    /// <summary>eᵢᵀ∇²L eᵢ by double backward, for every i: the dense diagonal.</summary>
    static double[] Diagonal(TorchObjective objective)
    {
        var hessian = objective.AutogradHessian();
        var e = new double[objective.Dimension];
        var diagonal = new double[objective.Dimension];
        for (int i = 0; i < e.Length; i++)
        {
            e[i] = 1;
            diagonal[i] = hessian.Apply(e)[i];
            e[i] = 0;
        }
        return diagonal;
    }

    [Theory]
    [InlineData(0.2, 1024)] // smoothed cross entropy, one chunk
    [InlineData(0.0, 4)]    // hard labels, several chunks
    public void ReluClassificationTraceEqualsTheDenseHessiansBlockByBlock(double flip, int chunkSize)
    {
        using var objective = Network(TestData.Images(19, 3, 4, seed: 2), Activation.Relu, chunkSize, flip);
        objective.SetParameters(TestData.Gaussian(objective.Dimension, 11)); // away from initialization: p ≠ q, so H ≠ G
        var exact = objective.ExactHessianTrace();
        Assert.NotNull(exact);
        var diagonal = Diagonal(objective);
        Assert.True(Math.Abs(diagonal.Sum() - exact.Value) <= 1e-10 * Math.Max(1, Math.Abs(exact.Value)), $"{exact.Value} vs dense {diagonal.Sum()}");
        Assert.Equal(objective.Blocks.Count, exact.Blocks.Count);
        for (int b = 0; b < objective.Blocks.Count; b++)
        {
            var block = objective.Blocks[b];
            Assert.Equal(block.Name, exact.Blocks[b].Block);
            double dense = diagonal.AsSpan(block.Offset, block.Length).ToArray().Sum();
            Assert.True(Math.Abs(dense - exact.Blocks[b].Trace) <= 1e-10 * Math.Max(1, Math.Abs(dense)), $"{block.Name}: {exact.Blocks[b].Trace} vs dense {dense}");
        }
    }

    [Fact]
    public void TheGaussNewtonResidualIsNotZeroOffTheDiagonalBlocks()
    {
        // The claim is about the diagonal blocks only: H − G itself is not zero at this point.
        using var objective = Network(TestData.Images(19, 3, 4, seed: 2), Activation.Relu);
        objective.SetParameters(TestData.Gaussian(objective.Dimension, 11));
        var v = TestData.Gaussian(objective.Dimension, 12);
        var hv = objective.AutogradHessian().Apply(v);
        var gv = objective.GaussNewton().Apply(v);
        Assert.True(hv.Zip(gv).Max(p => Math.Abs(p.First - p.Second)) > 1e-6 * hv.Max(Math.Abs));
    }

    [Fact]
    public void ReluRegressionTraceEqualsTheDenseHessians()
    {
        using var objective = Network(TestData.Regression(13, 4, seed: 3), Activation.Relu, chunkSize: 5);
        objective.SetParameters(TestData.Gaussian(objective.Dimension, 13));
        var exact = objective.ExactHessianTrace()!;
        double dense = Diagonal(objective).Sum();
        Assert.True(Math.Abs(dense - exact.Value) <= 1e-10 * Math.Max(1, Math.Abs(exact.Value)), $"{exact.Value} vs dense {dense}");
    }

    [Fact]
    public void AFloat32NetworksTraceMatchesTheFloat64TraceOfTheSameParameters()
    {
        // The float32 path (float32 arithmetic, float64 sums) against the float64 one, which equals the dense Hessian (above).
        var data = TestData.Images(300, 4, 4, seed: 5);
        using var single = new TorchObjective(Wide(data, torch.ScalarType.Float32), data, 0.2, 128);
        using var dual = new TorchObjective(Wide(data, torch.ScalarType.Float64), data, 0.2, 128);
        single.SetParameters(TestData.Gaussian(single.Dimension, 21).Select(x => 0.3 * x).ToArray());
        dual.SetParameters(single.GetParameters()); // the float32-rounded parameters
        var a = single.ExactHessianTrace()!;
        var b = dual.ExactHessianTrace()!;
        Assert.True(Math.Abs(a.Value - b.Value) <= 1e-5 * Math.Abs(b.Value), $"float32 {a.Value} vs float64 {b.Value}");
        Assert.True(Math.Abs(a.Value - b.Value) > 0, "the two paths should differ by rounding (otherwise this test compares a path with itself)");
        for (int k = 0; k < a.Blocks.Count; k++)
            Assert.True(Math.Abs(a.Blocks[k].Trace - b.Blocks[k].Trace) <= 1e-5 * Math.Abs(b.Blocks[k].Trace), $"{a.Blocks[k].Block}: {a.Blocks[k].Trace} vs {b.Blocks[k].Trace}");

        static Mlp Wide(Dataset data, torch.ScalarType type)
        {
            var net = new Mlp(data.FeatureCount, [64, 48], ((ClassificationDataset)data).ClassCount, Activation.Relu);
            net.to(type);
            return net;
        }
    }

    [Fact]
    public void OtherActivationsHaveNoExactTrace()
    {
        using var objective = Network(TestData.Images(8, 3, 3, seed: 4), Activation.Tanh);
        Assert.Null(objective.ExactHessianTrace());
    }
}
