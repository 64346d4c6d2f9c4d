using LabelNoise.Data;
using LabelNoise.Experiments;
using LabelNoise.Models;
using LabelNoise.Tests.TestSupport;
using static LabelNoise.Tests.TestSupport.CsvRewrite;
using LabelNoise.Theory;
using LabelNoise.Randomness;
using LabelNoise.Files;

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
        Assert.Equal(8, summary.Figures.Count);
        foreach (var figure in summary.Figures)
            Assert.True(new FileInfo(Path.Combine(root, figure.Name + ".png")).Length > 1000, figure.Name);
        Assert.Equal(6, summary.Claims.Count);
        Assert.Single(summary.Tables);
        Assert.Equal(summary.Claims, experiment.Evaluate(root));

        // Part (b): label noise with β = 0.9 at η = 2(1−β)·0.1 and the β = 0 references (label noise and plain SGD), all from the
        // adversarial init; without an escape folder next to it, momentum builds the init and runs the references itself.
        var escape = CsvTable.Read(Path.Combine(root, Momentum.EscapeFile));
        Assert.Equal([0.0, 0.9], escape.Column("momentum").Distinct().Order().ToArray());
        Assert.Equal(0.02, escape.Where("momentum", 0.9)[0, "learning_rate"], 12);
        Assert.Equal([0.0, 1.0], escape.Where("momentum", 0).Column("method").Distinct().Order().ToArray());
        Assert.Contains("made here", summary.Setting);

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
    public void PartBReusesTheEscapeExperimentsInitAndRunsWhenTheyWereMadeWithTheSameSetting()
    {
        using var folder = new TempFolder();
        ExperimentRunner.Run(new Escape(), folder.Path, ExperimentScale.Tiny, 0);
        var summary = ExperimentRunner.Run(new Momentum(), folder.Path, ExperimentScale.Tiny, 0);
        Assert.Contains("read from its curves.csv", summary.Setting);
        var escape = CsvTable.Read(Path.Combine(folder.Path, "escape", EscapeConfig.CurvesFile));
        var momentum = CsvTable.Read(Path.Combine(folder.Path, "momentum", Momentum.EscapeFile));
        foreach (var method in new[] { EscapeMethod.LabelNoise, EscapeMethod.Sgd })
        {
            var reused = EscapeCurves.Seeds(momentum, EscapeInit.Adversarial, method, 0, EscapeConfig.For(ExperimentScale.Tiny).LearningRate).Single();
            var original = EscapeCurves.Seeds(escape, EscapeInit.Adversarial, method, 0)[0];
            Assert.Equal(original.Column("test_acc"), reused.Column("test_acc"));
            Assert.Equal(original.Column("trace"), reused.Column("trace"));
        }
        // Step 0 of the run with momentum is the escape experiment's init, read back bit for bit.
        var withMomentum = EscapeCurves.Seeds(momentum, EscapeInit.Adversarial, EscapeMethod.LabelNoise, 0.9).Single();
        Assert.Equal(EscapeCurves.Seeds(escape, EscapeInit.Adversarial, EscapeMethod.Sgd, 0)[0][0, "test_acc"], withMomentum[0, "test_acc"]);

        // Another seed changes the key: the init and the references are made again.
        var other = ExperimentRunner.Run(new Momentum(), folder.Path, ExperimentScale.Tiny, 5);
        Assert.Contains("made here", other.Setting);
    }

    /// <summary>
    /// Fig. 4 as data: with momentum +5 points, flatter than without momentum at the same η (+2) and than Fig. 3's η (+4); plain SGD
    /// staying; every curvature number resolved.
    /// </summary>
    static void WritePaperLikeMomentum(string path, Action<Dictionary<string, double>>? change = null)
    {
        var table = EscapeCurves.NewTable();
        foreach (var (method, beta, rate, end, traceFirst, traceEnd) in new[]
        {
            (EscapeMethod.LabelNoise, 0.9, 0.02, 0.83, 80.0, 30.0), (EscapeMethod.LabelNoise, 0.0, 0.02, 0.80, 100.0, 70.0),
            (EscapeMethod.LabelNoise, 0.0, 0.2, 0.82, 100.0, 50.0), (EscapeMethod.Sgd, 0.0, 0.2, 0.78, 3.0, 3.0),
        })
            for (int seed = 0; seed < 3; seed++)
                for (int k = 0; k <= 4; k++)
                {
                    double trace = k == 0 ? 2 : traceFirst + (k / 4.0) * (traceEnd - traceFirst);
                    var row = new Dictionary<string, double>
                    {
                        ["init"] = (int)EscapeInit.Adversarial, ["method"] = (int)method, ["momentum"] = beta, ["learning_rate"] = rate, ["seed"] = seed, ["step"] = 1000 * k,
                        ["train_acc"] = 1, ["test_acc"] = 0.78 + (k / 4.0) * (end - 0.78), ["ema_test_acc"] = 0.785 + (k / 4.0) * (end - 0.78), ["train_loss"] = 0.1,
                        ["trace"] = trace, ["trace_se"] = k == 0 ? 5 : 0.02 * trace, ["regularizer"] = trace / 4, ["regularizer_se"] = k == 0 ? 1 : 0.005 * trace,
                        ["lambda_max"] = 5, ["trace_proxy"] = trace, ["trace_proxy_se"] = 1,
                    };
                    change?.Invoke(row);
                    table.Add(EscapeCurves.Columns.Select(c => row[c]).ToArray());
                }
        table.Write(path);
    }

    /// <summary>Part (a)'s data of one tiny run, shared by the tests that rewrite part (b)'s (the folder lives as long as the test process).</summary>
    static readonly Lazy<string> TinyTheory = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), $"labelnoise-momentum-theory-{Environment.ProcessId}");
        var config = Momentum.For(ExperimentScale.Tiny) with { Escape = null };
        Directory.CreateDirectory(folder);
        new Momentum().Generate(new ExperimentContext(folder, ExperimentScale.Tiny, 0), config);
        return folder;
    });

    [Theory]
    [InlineData("with momentum it gains only 1 point", new[] { 3, 4 })]
    [InlineData("with momentum it ends sharper than it started", new[] { 3, 4 })]
    [InlineData("plain SGD climbs as high", new[] { 3 })]
    [InlineData("without momentum it ends flatter", new[] { 4 })]
    [InlineData("a number with momentum has a 15 % standard error", new[] { 5 })]
    public void EveryPartBClaimHoldsOnPaperLikeDataAndFailsWhenItsDataBreaksIt(string breaker, int[] failing)
    {
        using var folder = new TempFolder();
        var experiment = new Momentum();
        var root = folder.Path;
        foreach (var file in new[] { Momentum.CovarianceFile, Momentum.DriftFile }) File.Copy(Path.Combine(TinyTheory.Value, file), Path.Combine(root, file));
        var path = Path.Combine(root, Momentum.EscapeFile);
        WritePaperLikeMomentum(path);
        var good = experiment.Evaluate(root).Skip(3).ToArray();
        Assert.All(good, c => Assert.True(c.Holds, $"{c.Statement}: {c.Measured}"));

        WritePaperLikeMomentum(path, row =>
        {
            bool with = row["momentum"] == 0.9, last = row["step"] == 4000;
            if (breaker == "with momentum it gains only 1 point" && with && last) row["test_acc"] = 0.79;
            if (breaker == "with momentum it ends sharper than it started" && with && last) { row["trace"] = 120; row["trace_se"] = 1; }
            if (breaker == "plain SGD climbs as high" && row["method"] == (int)EscapeMethod.Sgd && last) row["test_acc"] = 0.825;
            if (breaker == "without momentum it ends flatter" && !with && row["method"] == (int)EscapeMethod.LabelNoise && last) { row["trace"] = 20; row["trace_se"] = 0.4; }
            if (breaker == "a number with momentum has a 15 % standard error" && with && row["step"] == 2000 && row["seed"] == 0) row["trace_se"] = 0.15 * row["trace"];
        });
        var broken = experiment.Evaluate(root);
        for (int i = 3; i < broken.Count; i++)
            Assert.True(broken[i].Holds != failing.Contains(i), $"{breaker}: claim {i} ({broken[i].Statement}) is {broken[i].VerdictText}: {broken[i].Measured}");
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
        var moments = MomentumTheory.StationaryMoments(model, data, point, eta, beta, sigma, 2_000, 60_000, 20, new RandomStream(11));
        foreach (var m in moments)
        {
            double predicted = MomentumTheory.PredictedVariance(m.Curvature, eta, beta, lambda);
            Assert.InRange(m.Measured, predicted - 5 * m.StandardError - 0.05 * predicted, predicted + 5 * m.StandardError + 0.05 * predicted);
        }
    }

}
