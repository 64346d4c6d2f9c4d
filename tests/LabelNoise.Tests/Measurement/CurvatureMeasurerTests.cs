using LabelNoise.Curvature;
using LabelNoise.Measurement;
using LabelNoise.Models;
using LabelNoise.Objectives;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Theory;
using TorchSharp;
using LabelNoise.Randomness;

namespace LabelNoise.Tests.Measurement;

public class CurvatureMeasurerTests
{
    static TorchObjective Network()
    {
        var data = TestData.Images(30, 3, 4, seed: 21);
        var net = new Mlp(data.FeatureCount, [8, 6], data.ClassCount, Activation.Relu);
        ParameterInitializer.Initialize(net, new RandomStream(22));
        net.to(torch.ScalarType.Float64);
        var objective = new TorchObjective(net, data, 0.2);
        objective.SetParameters(TestData.Gaussian(objective.Dimension, 23).Select(x => 0.7 * x).ToArray());
        return objective;
    }

    /// <summary>The dense Hessian's eigenvalues, column by column from double backward.</summary>
    static double[] Eigenvalues(TorchObjective objective)
    {
        int p = objective.Dimension;
        var hessian = objective.AutogradHessian();
        var dense = new double[p, p];
        var e = new double[p];
        for (int j = 0; j < p; j++)
        {
            e[j] = 1;
            var column = hessian.Apply(e);
            e[j] = 0;
            for (int i = 0; i < p; i++) dense[i, j] = column[i];
        }
        for (int i = 0; i < p; i++)
            for (int j = 0; j < i; j++) dense[i, j] = dense[j, i] = 0.5 * (dense[i, j] + dense[j, i]);
        return SymmetricEigen.Eigenvalues(dense);
    }

    [Theory]
    [InlineData(CurvatureEstimator.Auto)]
    [InlineData(CurvatureEstimator.Hutchinson)]
    [InlineData(CurvatureEstimator.XTrace)]
    [InlineData(CurvatureEstimator.DeflatedSlq)]
    public void TraceAndRegularizerAgreeWithTheDenseHessian(CurvatureEstimator estimator)
    {
        using var objective = Network();
        var eigenvalues = Eigenvalues(objective);
        var settings = new RegularizerSettings(0.05);
        double trace = eigenvalues.Sum(), r = new ImplicitRegularizer(settings).FromEigenvalues(eigenvalues);
        Assert.True(double.IsFinite(r));
        var result = CurvatureMeasurer.Measure(objective, new CurvatureRequest
        {
            Estimator = estimator,
            TargetRelativeStandardError = 0.05,
            Regularizer = settings,
            LanczosSteps = 12,
            GuardSteps = 20,
            Deflation = 5,
        }, new RandomStream(24));
        Assert.True(result.Trace!.ReachedTarget, result.Trace.StopReason);
        Assert.True(Math.Abs(result.Trace.Estimate - trace) <= 4 * result.Trace.StandardError + 1e-9 * Math.Abs(trace),
            $"{result.Trace.Estimate} ± {result.Trace.StandardError} vs {trace}");
        var regularizer = result.Regularizer!;
        Assert.Equal(EstimateStop.TargetReached, regularizer.Stop);
        Assert.True(Math.Abs(regularizer.Estimate - r) <= 4 * regularizer.StandardError, $"{regularizer.Estimate} ± {regularizer.StandardError} vs {r}");
        Assert.True(result.LargestEigenvalue <= eigenvalues[^1] + 1e-9);
        if (estimator == CurvatureEstimator.Auto)
        {
            Assert.Equal("exact", result.Trace.Estimator);
            Assert.Equal(0, result.Trace.Products);
            Assert.Equal(0, result.Trace.StandardError);
            Assert.Equal(objective.Blocks.Count, result.ExactBlockTraces.Count);
        }
        Assert.Equal(result.Products, estimator is CurvatureEstimator.Auto or CurvatureEstimator.XTrace ? regularizer.Products : result.Trace.Products + regularizer.Products);
    }

    [Fact]
    public void RIsInfiniteBeyondTheStabilityLimit()
    {
        using var objective = Network();
        double top = Eigenvalues(objective)[^1];
        var result = CurvatureMeasurer.Measure(objective, new CurvatureRequest { Regularizer = new RegularizerSettings(3 / top), GuardSteps = 40 }, new RandomStream(25));
        Assert.True(double.IsPositiveInfinity(result.Regularizer!.Estimate), result.Regularizer.StopReason);
    }
}
