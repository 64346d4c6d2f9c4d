using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Noise;
using LabelNoise.Randomness;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Training;
using ScalarType = TorchSharp.torch.ScalarType;

namespace LabelNoise.Tests.Training;

/// <summary>The hand-written float64 path against autograd on the same model, data, batches and targets.</summary>
public class HandLearnerTests
{
    static ILearner Twin(string kind, RegressionDataset data) => new TorchLearner(
        kind == "linear" ? new TorchLinear(data.FeatureCount) : new TorchQuadratic(data.FeatureCount), data, 0, ScalarType.Float64);

    static IHandModel Hand(string kind, int d) => kind == "linear" ? new LinearModel(d) : new QuadraticModel(d);

    [Theory]
    [InlineData("linear", 0.0)]
    [InlineData("quadratic", 0.0)]
    [InlineData("quadratic", 0.9)]
    public void AgreesWithAutogradStepForStepTo1e12(string kind, double momentum)
    {
        var data = TestData.Regression(12, 5, seed: 3);
        using var hand = new HandLearner(Hand(kind, 5), data);
        using var twin = Twin(kind, data);
        var start = new RandomStream(1);
        var theta = Enumerable.Range(0, hand.ParameterCount).Select(_ => 0.5 * start.NextGaussian()).ToArray();
        hand.SetParameters(theta);
        twin.SetParameters(theta);
        var (sampler, noise) = (new RandomStream(2), new RandomStream(3));
        var labelNoise = new PlusMinusNoise(0.5);
        for (int step = 0; step < 40; step++)
        {
            var batch = BatchSampler.WithReplacement(data.Count, 3, sampler);
            var targets = labelNoise.Perturb(data, batch, noise);
            double a = hand.Step(batch, targets, 0.01, momentum), b = twin.Step(batch, targets, 0.01, momentum);
            Assert.True(Math.Abs(a - b) <= 1e-12 * Math.Max(1, Math.Abs(a)), $"step {step}: batch loss {a} vs {b}");
        }
        var p = hand.GetParameters(); var q = twin.GetParameters();
        for (int j = 0; j < p.Length; j++) Assert.True(Math.Abs(p[j] - q[j]) <= 1e-12 * Math.Max(1, Math.Abs(p[j])), $"parameter {j}: {p[j]} vs {q[j]}");
        var e = hand.Evaluate(data, true); var f = twin.Evaluate(data, true);
        Assert.Equal(e.Loss, f.Loss, 12);
        Assert.Equal(e.GradientNorm!.Value, f.GradientNorm!.Value, 12);
    }

    [Fact]
    public void QuadraticHessianMatchesFiniteDifferenceOfItsGradient()
    {
        var model = new QuadraticModel(3);
        double[] theta = [0.3, -1.2, 0.7, 0.9, 0.1, -0.4], x = [1.5, -0.5, 2.0];
        var hessian = new double[36];
        model.AccumulateHessian(theta, x, 1.0, hessian);
        const double h = 1e-6;
        for (int j = 0; j < 6; j++)
        {
            var plus = (double[])theta.Clone(); plus[j] += h;
            var minus = (double[])theta.Clone(); minus[j] -= h;
            var gp = new double[6]; var gm = new double[6];
            model.AccumulateGradient(plus, x, 1, gp);
            model.AccumulateGradient(minus, x, 1, gm);
            for (int k = 0; k < 6; k++) Assert.Equal((gp[k] - gm[k]) / (2 * h), hessian[k * 6 + j], 6);
        }
    }

    [Fact]
    public void StateRoundTripsExactly()
    {
        var data = TestData.Regression(6, 2, seed: 1);
        using var a = new HandLearner(new QuadraticModel(2), data);
        a.Step([0, 1], new RegressionTargets([1.0, -2.0]), 0.1, 0.9);
        using var folder = new TempFolder();
        a.SaveState(folder.Path);
        using var b = new HandLearner(new QuadraticModel(2), data);
        b.LoadState(folder.Path);
        Assert.Equal(a.GetParameters(), b.GetParameters());
        Assert.Equal(a.Step([2], new RegressionTargets([0.5]), 0.1, 0.9), b.Step([2], new RegressionTargets([0.5]), 0.1, 0.9));
        Assert.Equal(a.GetParameters(), b.GetParameters());
    }
}
