using LabelNoise.Models;
using LabelNoise.Noise;
using LabelNoise.Objectives;
using LabelNoise.Randomness;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Training;

namespace LabelNoise.Tests.Training;

public class NoiseTraceProxyTests
{
    [Fact]
    public void EstimatesSigmaSquaredTimesTheGaussNewtonTraceForRegression()
    {
        const double sigma = 0.7;
        var data = TestData.Regression(12, 4, seed: 3);
        using var learner = new HandLearner(new QuadraticModel(4), data);
        var g = new RandomStream(1);
        var theta = Enumerable.Range(0, 8).Select(_ => g.NextGaussian()).ToArray();
        learner.SetParameters(theta);
        using var objective = new HandObjective(new QuadraticModel(4), data, theta);
        var gn = objective.GaussNewtonMatrix();
        double expected = sigma * sigma * Enumerable.Range(0, 8).Sum(i => gn[i, i]);
        var estimate = NoiseTraceProxy.Estimate(learner, data, new GaussianNoise(sigma), batchSize: 3, batches: 4000, new RandomStream(2));
        Assert.True(Math.Abs(estimate.Estimate - expected) < 5 * estimate.StandardError, $"tr_G {estimate.Estimate} ± {estimate.StandardError} against σ² tr G = {expected}");
        Assert.Equal(learner.GetParameters(), theta); // nothing moved
    }

    [Fact]
    public void IsZeroWithoutNoise()
    {
        var data = TestData.Regression(5, 2, seed: 1);
        using var learner = new HandLearner(new LinearModel(2), data);
        var estimate = NoiseTraceProxy.Estimate(learner, data, new NoLabelNoise(), 2, 10, new RandomStream(1));
        Assert.Equal(0, estimate.Estimate);
    }
}
