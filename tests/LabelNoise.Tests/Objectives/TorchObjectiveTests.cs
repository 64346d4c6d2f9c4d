using LabelNoise.Curvature;
using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Objectives;
using LabelNoise.Tests.TestSupport;
using TorchSharp;
using LabelNoise.Randomness;
using ScalarType = TorchSharp.torch.ScalarType;

namespace LabelNoise.Tests.Objectives;

public class TorchObjectiveTests
{
    static TorchObjective Network(Dataset data, int chunkSize = 1024, double flip = 0.2)
    {
        int outputs = data is ClassificationDataset c ? c.ClassCount : 1;
        var net = new Mlp(data.FeatureCount, [6], outputs, Activation.Tanh);
        ParameterInitializer.Initialize(net, new RandomStream(3));
        net.to(ScalarType.Float64);
        return new TorchObjective(net, data, flip, chunkSize);
    }

    [Fact]
    public void HessianVectorProductEqualsAFiniteDifferenceOfGradients()
    {
        using var objective = Network(TestData.Images(10, 2, 3, seed: 1));
        var theta = objective.GetParameters();
        var v = TestData.Gaussian(objective.Dimension, 5);
        var hv = objective.Hessian().Apply(v);
        const double h = 1e-5;
        objective.SetParameters(theta.Select((t, j) => t + h * v[j]).ToArray());
        var plus = objective.Gradient();
        objective.SetParameters(theta.Select((t, j) => t - h * v[j]).ToArray());
        var minus = objective.Gradient();
        double scale = hv.Max(Math.Abs);
        for (int j = 0; j < hv.Length; j++)
            Assert.True(Math.Abs((plus[j] - minus[j]) / (2 * h) - hv[j]) < 1e-6 * scale, $"entry {j}: {hv[j]} vs {(plus[j] - minus[j]) / (2 * h)}");
    }

    [Fact]
    public void ChunkingAndGraphReuseDoNotChangeProducts()
    {
        var data = TestData.Images(23, 2, 3, seed: 2);
        using var whole = Network(data, chunkSize: 1024);
        using var cached = Network(data, chunkSize: 5);       // 5 chunks: graphs kept
        using var recomputed = Network(data, chunkSize: 2);   // 12 chunks: graphs rebuilt per product
        var v = TestData.Gaussian(whole.Dimension, 7);
        var reference = whole.Hessian().Apply(v);
        var cachedOp = cached.Hessian();
        foreach (var result in new[] { cachedOp.Apply(v), cachedOp.Apply(v), recomputed.Hessian().Apply(v) })
            for (int j = 0; j < v.Length; j++) Assert.Equal(reference[j], result[j], 12);
        Assert.Equal(whole.Loss(), recomputed.Loss(), 12);
        Assert.Equal(whole.Gradient(), cached.Gradient(), new Tolerance(1e-12));
    }

    [Fact]
    public void GaussNewtonEqualsTheSumOfJacobianTransposeSoftmaxHessianJacobian()
    {
        const int classes = 3;
        var data = TestData.Images(4, 2, classes, seed: 4);
        using var objective = Network(data);
        int p = objective.Dimension;
        var expected = new double[p, p];
        var net = objective.Model;
        var parameters = net.parameters().ToArray();
        for (int i = 0; i < data.Count; i++)
        {
            using var scope = torch.NewDisposeScope();
            var x = torch.tensor(((ClassificationDataset)data).Features.Skip(i * 4).Take(4).Select(f => (double)f).ToArray()).reshape(1, 1, 2, 2);
            var logits = net.forward(x)[0];
            var prob = torch.nn.functional.softmax(logits.detach(), 0).data<double>().ToArray();
            var jacobian = new double[classes][];
            for (int c = 0; c < classes; c++)
            {
                var grads = torch.autograd.grad([logits[c]], parameters, retain_graph: true);
                jacobian[c] = torch.cat(grads.Select(g => g.reshape(-1)).ToArray()).data<double>().ToArray();
            }
            for (int a = 0; a < classes; a++)
                for (int b = 0; b < classes; b++)
                {
                    double hab = (a == b ? prob[a] : 0) - prob[a] * prob[b];
                    for (int j = 0; j < p; j++)
                        for (int k = 0; k < p; k++) expected[j, k] += hab * jacobian[a][j] * jacobian[b][k] / data.Count;
                }
        }
        var actual = DenseSymmetric.FromOperator(objective.GaussNewton());
        for (int j = 0; j < p; j++)
            for (int k = 0; k < p; k++) Assert.Equal(expected[j, k], actual[j, k], 12);
    }

    [Theory]
    [InlineData("linear")]
    [InlineData("quadratic")]
    public void AgreesWithTheExactHandObjective(string kind)
    {
        var data = TestData.Regression(7, 3, seed: 8);
        var theta = TestData.Gaussian(kind == "linear" ? 3 : 6, 9);
        IHandModel hand = kind == "linear" ? new LinearModel(3) : new QuadraticModel(3);
        torch.nn.Module<torch.Tensor, torch.Tensor> twin = kind == "linear" ? new TorchLinear(3) : new TorchQuadratic(3);
        using var exact = new HandObjective(hand, data, theta);
        using var autograd = new TorchObjective(twin, data);
        autograd.SetParameters(theta);
        Assert.Equal(exact.Loss(), autograd.Loss(), 12);
        Assert.Equal(exact.Gradient(), autograd.Gradient(), new Tolerance(1e-12));
        AssertMatrix(exact.HessianMatrix(), DenseSymmetric.FromOperator(autograd.Hessian()));
        AssertMatrix(exact.GaussNewtonMatrix(), DenseSymmetric.FromOperator(autograd.GaussNewton()));
        var m = new double[theta.Length, theta.Length];
        var g = new RandomStream(10);
        for (int a = 0; a < theta.Length; a++)
            for (int b = 0; b <= a; b++) m[a, b] = m[b, a] = g.NextGaussian();
        Assert.Equal(exact.HessianTraceGradient(m), autograd.HessianTraceGradient(m), new Tolerance(1e-10));
    }

    static void AssertMatrix(double[,] expected, double[,] actual)
    {
        for (int a = 0; a < expected.GetLength(0); a++)
            for (int b = 0; b < expected.GetLength(1); b++) Assert.Equal(expected[a, b], actual[a, b], 11);
    }

    [Fact]
    public void SetParametersRoundTripsAndTheLossIsTheReportedOne()
    {
        var data = TestData.Images(6, 2, 3, seed: 6);
        using var objective = Network(data, flip: 0);
        var theta = TestData.Gaussian(objective.Dimension, 2);
        objective.SetParameters(theta);
        Assert.Equal(theta, objective.GetParameters());
        using var smoothed = Network(data, flip: 0.2);
        smoothed.SetParameters(theta);
        Assert.True(smoothed.Loss() >= 0, "smoothed cross entropy minus its minimum is a KL divergence");
    }
}

/// <summary>Element-wise comparison of double sequences with an absolute tolerance.</summary>
public sealed class Tolerance(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y)));
    public int GetHashCode(double obj) => 0;
}
