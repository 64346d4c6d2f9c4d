using LabelNoise.Data;
using LabelNoise.Experiments;
using LabelNoise.Models;
using LabelNoise.Reporting;
using LabelNoise.Tests.TestSupport;
using static LabelNoise.Tests.TestSupport.CsvRewrite;
using LabelNoise.Theory;
using Generator = LabelNoise.Randomness.Generator;

namespace LabelNoise.Tests.Experiments;

public class MomentumTests
{
    [Theory]
    [InlineData(0.0, 0.3)]
    [InlineData(0.5, 1.6)]
    [InlineData(0.9, 1.6)]
    [InlineData(0.9, 3.5)]
    public void PredictedVarianceIsTheExactStationaryVarianceOfTheHeavyBallRecursion(double beta, double etaG)
    {
        // x_{k+1} = (1 + β − ηg)x_k − βx_{k−1} + e_k, Var e = η²(σ²/B)g: state (x_k, x_{k−1}), Σ = AΣAᵀ + Q.
        const double eta = 0.1, sigma = 0.7;
        const int batch = 4;
        double g = etaG / eta;
        var a = new double[,] { { 1 + beta - eta * g, -beta }, { 1, 0 } };
        var q = new double[,] { { eta * eta * sigma * sigma / batch * g, 0 }, { 0, 0 } };
        var solution = OuCovariance.SolveLyapunov(a, q);
        Assert.True(solution.Converged, solution.StopReason);
        double lambda = ImplicitRegularizer.Lambda(eta, sigma, batch, beta); // ησ²/(B(1−β))
        Assert.Equal(solution.Covariance[0, 0], MomentumTheory.PredictedVariance(g, eta, beta, lambda), 10);
        // ... which is r_β'(g)·2λ: the weight R_β's gradient gives the curvature g (eq. 6, sign fixed).
        Assert.Equal(2 * lambda * new ImplicitRegularizer(eta, beta).TermDerivative(g), MomentumTheory.PredictedVariance(g, eta, beta, lambda), 12);
    }

    [Fact]
    public void TinyRunWritesEverythingAndItsClaimsFollowTheData()
    {
        using var folder = new TempFolder();
        var experiment = new Momentum();
        var summary = ExperimentRunner.Run(experiment, folder.Path, ExperimentScale.Tiny, 0);
        var root = Path.Combine(folder.Path, experiment.Name);
        foreach (var file in new[] { Momentum.CovarianceFile, Momentum.DriftFile, Momentum.EscapeFile, Momentum.InitsFile, "config.json" })
            Assert.True(File.Exists(Path.Combine(root, file)), file);
        Assert.Equal(7, summary.Figures.Count);
        foreach (var figure in summary.Figures)
            Assert.True(new FileInfo(Path.Combine(root, figure.Name + ".png")).Length > 1000, figure.Name);
        Assert.Equal(5, summary.Claims.Count);
        Assert.Equal(summary.Claims, experiment.Evaluate(root));

        // Part (b): label noise with β = 0.9 at η = 2(1−β)·0.1 and the β = 0 reference, both from the adversarial init.
        var escape = CsvTable.Read(Path.Combine(root, Momentum.EscapeFile));
        Assert.Equal([0.0, 0.9], escape.Column("momentum").Distinct().Order().ToArray());
        Assert.Equal(0.02, escape.Where("momentum", 0.9)[0, "learning_rate"], 12);

        // The covariance claims follow covariance.csv: measured = the (1+β) prediction → both hold ...
        var covariance = CsvTable.Read(Path.Combine(root, Momentum.CovarianceFile));
        Rewrite(Path.Combine(root, Momentum.CovarianceFile), covariance, (table, i, c) => c == "measured" ? table[i, "predicted"] : table[i, c]);
        var exact = experiment.Evaluate(root);
        Assert.True(exact[0].Holds, exact[0].Measured);
        Assert.True(exact[1].Holds, exact[1].Measured);
        // ... measured = the form without (1+β) → both fail.
        Rewrite(Path.Combine(root, Momentum.CovarianceFile), covariance, (table, i, c) => c == "measured" ? table[i, "predicted_without_one_plus_beta"] : table[i, c]);
        var naive = experiment.Evaluate(root);
        Assert.False(naive[0].Holds, naive[0].Measured);
        Assert.False(naive[1].Holds, naive[1].Measured);

        // The drift claim follows drift.csv: give every β the β = 0 curve → holds; stretch the β = 0.9 curve 10× in time → fails.
        var drift = CsvTable.Read(Path.Combine(root, Momentum.DriftFile));
        var reference = drift.Where("momentum", 0).Where("seed", 0);
        double Curve(double step)
        {
            var steps = reference.Column("step");
            var trace = reference.Column("trace");
            int k = Array.FindIndex(steps, s => s >= step);
            if (k < 0) return trace[^1];
            if (k == 0) return trace[0];
            return trace[k - 1] + (trace[k] - trace[k - 1]) * (step - steps[k - 1]) / (steps[k] - steps[k - 1]);
        }
        Rewrite(Path.Combine(root, Momentum.DriftFile), drift, (table, i, c) => c == "trace" ? Curve(table[i, "step"]) : table[i, c]);
        Assert.True(experiment.Evaluate(root)[2].Holds, experiment.Evaluate(root)[2].Measured);
        Rewrite(Path.Combine(root, Momentum.DriftFile), drift, (table, i, c) => c == "trace" ? Curve(table[i, "momentum"] == 0.9 ? table[i, "step"] / 10 : table[i, "step"]) : table[i, c]);
        Assert.False(experiment.Evaluate(root)[2].Holds, experiment.Evaluate(root)[2].Measured);
    }

    [Fact]
    public void CrossingStepInterpolatesBetweenRecordsAndEndLevelIsTheLastQuarter()
    {
        var run = new CsvTable("step", "trace");
        foreach (var (step, trace) in new[] { (0.0, 100.0), (10.0, 80.0), (20.0, 40.0), (30.0, 20.0), (40.0, 20.0), (50.0, 20.0), (60.0, 22.0), (70.0, 20.0) })
            run.Add(step, trace);
        Assert.Equal(21, Momentum.EndLevel(run)); // median of the last two records
        Assert.Equal(15, Momentum.CrossingStep(run, 60), 12); // between steps 10 (80) and 20 (40)
        Assert.Equal(double.PositiveInfinity, Momentum.CrossingStep(run, 10));
    }

    [Fact]
    public void MeasuredCovarianceMatchesThePredictionOnATinyModel()
    {
        var data = (RegressionDataset)SparseRegressionGenerator.Generate(10, 6, 2, 3, testSize: 0).Train;
        var model = new QuadraticModel(10);
        var point = MomentumTheory.FindInterpolator(model, data, 1e-26, 1_000_000);
        Assert.True(point.Loss <= 1e-26, $"L = {point.Loss}");
        double eta = 1.2 / point.Curvatures[^1], beta = 0.6, lambda = 1e-8;
        double sigma = Math.Sqrt(lambda * data.Count * (1 - beta) / eta);
        var moments = MomentumTheory.StationaryMoments(model, data, point, eta, beta, sigma, 2_000, 60_000, 20, new Generator(11));
        foreach (var m in moments)
        {
            double predicted = MomentumTheory.PredictedVariance(m.Curvature, eta, beta, lambda);
            Assert.InRange(m.Measured, predicted - 5 * m.StandardError - 0.05 * predicted, predicted + 5 * m.StandardError + 0.05 * predicted);
        }
    }

}
