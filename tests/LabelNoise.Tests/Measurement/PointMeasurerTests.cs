using LabelNoise.Curvature;
using LabelNoise.Measurement;
using LabelNoise.Models;
using LabelNoise.Objectives;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Theory;

namespace LabelNoise.Tests.Measurement;

public class PointMeasurerTests
{
    static HandObjective Quadratic(ulong seed)
    {
        var data = TestData.Regression(8, 5, seed: 1);
        var g = new LabelNoise.Randomness.RandomStream(seed);
        var theta = Enumerable.Range(0, 10).Select(_ => 0.8 * g.NextGaussian()).ToArray();
        return new HandObjective(new QuadraticModel(5), data, theta);
    }

    [Fact]
    public void ExactMeasurementAgreesWithTheDenseHessian()
    {
        using var objective = Quadratic(2);
        var settings = new MeasurementSettings { LearningRate = 0.01, NoiseStdDev = 0.5, BatchSize = 2, Exact = true };
        var m = PointMeasurer.Measure(objective, settings);
        var hessian = objective.HessianMatrix();
        var eigenvalues = SymmetricEigen.Eigenvalues(hessian);
        Assert.Equal(Enumerable.Range(0, 10).Sum(i => hessian[i, i]), m.Trace.Value, 10);
        Assert.Equal(eigenvalues[^1], m.TopEigenvalue.Value, 10);
        Assert.Equal(eigenvalues[0], m.MinEigenvalue!.Value, 10);
        Assert.True(m.MinEigenvalue < 0, "a non-interpolating point of the quadratic model has a negative curvature direction");
        double r = new ImplicitRegularizer(0.01).FromEigenvalues(eigenvalues);
        Assert.Equal(r, m.Regularizer.Value, 10);
        Assert.Equal(0.01 * 0.25 / 2, m.Lambda, 15);
        Assert.Equal(objective.Loss() + m.Lambda * r, m.RegularizedLoss.Value, 12);
        var gn = objective.GaussNewtonMatrix();
        Assert.Equal(Enumerable.Range(0, 10).Sum(i => gn[i, i]), m.GaussNewtonTrace.Value, 10);
        Assert.NotNull(m.RegularizedGradientNorm);
        Assert.Empty(m.Warnings);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void EstimatesAgreeWithExactValuesWithinTheirStandardErrors(int deflation)
    {
        using var objective = Quadratic(3);
        var exact = PointMeasurer.Measure(objective, new MeasurementSettings { LearningRate = 0.01, NoiseStdDev = 1, BatchSize = 1, Exact = true });
        var estimate = PointMeasurer.Measure(objective, new MeasurementSettings { LearningRate = 0.01, NoiseStdDev = 1, BatchSize = 1, Probes = 200, LanczosSteps = 10, Seed = 4, Deflation = deflation });
        foreach (var (name, e, x) in new[] { ("trace", estimate.Trace, exact.Trace), ("R", estimate.Regularizer, exact.Regularizer), ("G trace", estimate.GaussNewtonTrace, exact.GaussNewtonTrace) })
            Assert.True(Math.Abs(e.Value - x.Value) < 5 * e.StandardError!.Value + 1e-9 * Math.Abs(x.Value), $"{name}: {e.Value} ± {e.StandardError} against exact {x.Value}");
        Assert.Equal(exact.TopEigenvalue.Value, estimate.TopEigenvalue.Value, 8); // Lanczos with m = P is exact
        Assert.Equal(2, estimate.BlockTraces.Count);
        Assert.True(Math.Abs(exact.Trace.Value - estimate.BlockTraces.Sum(b => b.Trace.Value)) < 5 * Math.Sqrt(estimate.BlockTraces.Sum(b => b.Trace.StandardError!.Value * b.Trace.StandardError.Value)) * 2);
    }

    [Fact]
    public void InfiniteRegularizerIsReportedAsTheStringInfWithAWarning()
    {
        using var objective = Quadratic(2);
        var exact = PointMeasurer.Measure(objective, new MeasurementSettings { LearningRate = 0.01, NoiseStdDev = 1, BatchSize = 1, Exact = true });
        double eta = 2.5 / exact.TopEigenvalue.Value;
        foreach (bool isExact in new[] { true, false })
        {
            var m = PointMeasurer.Measure(objective, new MeasurementSettings { LearningRate = eta, NoiseStdDev = 1, BatchSize = 1, Exact = isExact, LanczosSteps = 10 });
            Assert.True(double.IsPositiveInfinity(m.Regularizer.Value));
            var json = m.ToJson();
            Assert.Equal("inf", json["regularizer"]!.GetValue<string>());
            Assert.Equal("inf", json["regularized_loss"]!.GetValue<string>());
            Assert.Contains("R is infinite", Assert.Single(m.Warnings));
        }
    }

    [Fact]
    public void JsonHasTheDocumentedKeys()
    {
        using var objective = Quadratic(5);
        var estimated = PointMeasurer.Measure(objective, new MeasurementSettings { LearningRate = 0.01, NoiseStdDev = 1, BatchSize = 1, Probes = 5, LanczosSteps = 5 }).ToJson();
        foreach (var key in new[] { "loss", "grad_norm", "trace", "trace_stderr", "top_eigenvalue", "gauss_newton_trace", "gauss_newton_trace_stderr", "regularizer", "regularizer_stderr", "lambda", "regularized_loss", "regularized_loss_stderr", "warnings" })
            Assert.True(estimated.ContainsKey(key), key);
        Assert.False(estimated.ContainsKey("min_eigenvalue"));
        var exact = PointMeasurer.Measure(objective, new MeasurementSettings { LearningRate = 0.01, NoiseStdDev = 1, BatchSize = 1, Exact = true }).ToJson();
        foreach (var key in new[] { "min_eigenvalue", "regularizer_grad_norm", "regularized_grad_norm" }) Assert.True(exact.ContainsKey(key), key);
        Assert.False(exact.ContainsKey("trace_stderr"));
    }
}

public class SpectralDensityTests
{
    [Fact]
    public void DensityIntegratesToOneAndItsMeanIsTheMeanEigenvalue()
    {
        var data = LabelNoise.Tests.TestSupport.TestData.Regression(8, 5, seed: 1);
        var g = new LabelNoise.Randomness.RandomStream(7);
        using var objective = new HandObjective(new QuadraticModel(5), data, Enumerable.Range(0, 10).Select(_ => g.NextGaussian()).ToArray());
        var density = PointMeasurer.Density(objective, new MeasurementSettings { LearningRate = 0.01, NoiseStdDev = 1, BatchSize = 1, Probes = 30, LanczosSteps = 10 }, points: 2000);
        double step = density.Grid[1] - density.Grid[0];
        Assert.Equal(1.0, density.Density.Sum() * step, 3);
        double mean = density.Grid.Zip(density.Density).Sum(p => p.First * p.Second) * step;
        // The same probes' quadrature estimates tr H; the density is that spectral measure broadened.
        var slq = StochasticLanczosQuadrature.Estimate(objective.Hessian(), x => x, new LabelNoise.Randomness.RandomStream(0).Split(), 30, 10);
        Assert.Equal(slq.Estimate / 10, mean, 4); // up to the grid sum
        double exactMean = SymmetricEigen.Eigenvalues(objective.HessianMatrix()).Average();
        Assert.True(Math.Abs(mean - exactMean) < 5 * slq.StandardError / 10, $"density mean {mean} against mean eigenvalue {exactMean}");
    }
}
