using LabelNoise.Experiments;
using LabelNoise.Objectives;
using LabelNoise.Randomness;
using LabelNoise.Tests.TestSupport;
using static LabelNoise.Tests.TestSupport.CsvRewrite;
using static LabelNoise.Tests.TestSupport.ClaimMargins;

namespace LabelNoise.Tests.Experiments;

public class MinibatchCyclingTests
{

    [Fact]
    public void ClaimsHoldAndBreakingTheDataFlipsThem()
    {
        using var folder = new TempFolder();
        var experiment = new MinibatchCycling();
        var summary = ExperimentRunner.Run(experiment, folder.Path, ExperimentScale.Tiny, 0);
        var root = Path.Combine(folder.Path, experiment.Name);
        Assert.Equal(3, summary.Claims.Count);
        Assert.All(WithConsistentMargins(summary.Claims), c => Assert.True(c.Holds, c.Statement + ": " + c.Measured));
        foreach (var name in new[] { "drift", "angle", "excess-loss" })
            Assert.True(new FileInfo(Path.Combine(root, name + ".png")).Length > 1000, name);
        Assert.Contains("OUR OWN CONSTRUCTION", experiment.Description);

        // A trajectory that turns 20 times slower does not complete a winding and misses the predicted rate.
        var trajectory = Path.Combine(root, "trajectory.csv");
        var original = File.ReadAllText(trajectory);
        Rewrite(trajectory, (t, i, c) => c == "angle" ? t[i, c] / 20 : t[i, c]);
        var claims = WithConsistentMargins(experiment.Evaluate(root));
        Assert.True(claims[0].Holds);
        Assert.False(claims[1].Holds);
        Assert.False(claims[2].Holds);
        File.WriteAllText(trajectory, original);

        // A large excess loss breaks "loss ≈ 0".
        Rewrite(trajectory, (t, i, c) => c == "excess_loss" ? t[i, c] + 0.01 : t[i, c]);
        Assert.False(WithConsistentMargins(experiment.Evaluate(root))[1].Holds);
        File.WriteAllText(trajectory, original);

        // A drift of alternating sign (a gradient field can look like this) is not evidence of cycling.
        Rewrite(Path.Combine(root, "drift.csv"), (t, i, c) => c == "tangential_drift" && i % 2 == 1 ? -t[i, c] : t[i, c]);
        Assert.False(WithConsistentMargins(experiment.Evaluate(root))[0].Holds);
    }

    [Fact]
    public void ModelDerivativesMatchFiniteDifferences()
    {
        var model = new MinibatchCycling.TwistedValleyModel();
        var generator = new RandomStream(3);
        for (int trial = 0; trial < 5; trial++)
        {
            var theta = Enumerable.Range(0, 3).Select(_ => generator.NextGaussian()).ToArray();
            var x = Enumerable.Range(0, 2).Select(_ => generator.NextGaussian()).ToArray();
            var m = new double[3, 3];
            for (int i = 0; i < 3; i++)
                for (int j = 0; j <= i; j++) m[i, j] = m[j, i] = generator.NextGaussian();
            var gradient = new double[3];
            model.AccumulateGradient(theta, x, 1, gradient);
            var hessian = new double[9];
            model.AccumulateHessian(theta, x, 1, hessian);
            var traceGradient = new double[3];
            model.AccumulateHessianTraceGradient(theta, x, m, 1, traceGradient);
            const double h = 1e-5;
            for (int k = 0; k < 3; k++)
            {
                var plus = (double[])theta.Clone();
                var minus = (double[])theta.Clone();
                plus[k] += h;
                minus[k] -= h;
                Assert.Equal((model.Predict(plus, x) - model.Predict(minus, x)) / (2 * h), gradient[k], 8);
                var gPlus = new double[3];
                var gMinus = new double[3];
                model.AccumulateGradient(plus, x, 1, gPlus);
                model.AccumulateGradient(minus, x, 1, gMinus);
                for (int j = 0; j < 3; j++) Assert.Equal((gPlus[j] - gMinus[j]) / (2 * h), hessian[k * 3 + j], 8);
                var hPlus = new double[9];
                var hMinus = new double[9];
                model.AccumulateHessian(plus, x, 1, hPlus);
                model.AccumulateHessian(minus, x, 1, hMinus);
                double expected = 0;
                for (int a = 0; a < 3; a++)
                    for (int b = 0; b < 3; b++) expected += m[a, b] * (hPlus[a * 3 + b] - hMinus[a * 3 + b]) / (2 * h);
                Assert.Equal(expected, traceGradient[k], 8);
            }
        }
    }

    [Fact]
    public void TheUnitCircleIsAManifoldOfGlobalMinimizersWhereNoExampleIsFitted()
    {
        var config = MinibatchCycling.For(ExperimentScale.Tiny);
        var data = MinibatchCycling.Dataset(config);
        var model = new MinibatchCycling.TwistedValleyModel();
        double minimum = MinibatchCycling.MinimumLoss(config);
        foreach (double angle in new[] { 0.0, 1.0, 2.5, 4.0 })
        {
            using var objective = new HandObjective(model, data, [Math.Cos(angle), Math.Sin(angle), 0]);
            Assert.Equal(minimum, objective.Loss(), 15);
            Assert.True(objective.Gradient().All(g => Math.Abs(g) < 1e-15));
            // The noisy pair keeps residuals ∓s, so its per-example gradients do not vanish: minibatch noise persists.
            Assert.Equal(-config.LabelOffset, objective.Residual(0), 15);
            Assert.True(objective.OutputGradient(0).Sum(g => g * g) > 0.1);
        }
        // Elsewhere L = ½uᵀMu + min L ≥ min L.
        var generator = new RandomStream(9);
        for (int trial = 0; trial < 100; trial++)
        {
            var theta = Enumerable.Range(0, 3).Select(_ => 1.5 * generator.NextGaussian()).ToArray();
            using var objective = new HandObjective(model, data, theta);
            Assert.True(objective.Loss() >= minimum - 1e-15);
        }
    }

    [Fact]
    public void NoiseAlignedWithTheStiffnessAxesGivesNoTangentialDrift()
    {
        // The mechanism: the tangential drift is ∝ tr(K[H, S]); with the pair on an eigen-axis of M (β = π/2, c_b = (1, 0)),
        // Σ commutes with H along the whole circle and the drift vanishes, while the default β = π/4 gives a constant nonzero drift.
        var config = MinibatchCycling.For(ExperimentScale.Tiny);
        var model = new MinibatchCycling.TwistedValleyModel();
        double lambda = config.LearningRate / config.BatchSize;
        var aligned = MinibatchCycling.Dataset(config with { PairAngle = Math.PI / 2 });
        var twisted = MinibatchCycling.Dataset(config);
        double reference = MinibatchCycling.Drift(model, twisted, 0, config.LearningRate, lambda).Tangential;
        Assert.True(Math.Abs(reference) > 1e-5);
        foreach (double angle in new[] { 0.3, 1.7, 3.1, 5.0 })
        {
            Assert.True(Math.Abs(MinibatchCycling.Drift(model, aligned, angle, config.LearningRate, lambda).Tangential) < 1e-12 * Math.Abs(reference));
            Assert.Equal(reference, MinibatchCycling.Drift(model, twisted, angle, config.LearningRate, lambda).Tangential, 1e-12);
        }
    }
}
