using System.Diagnostics;
using System.Globalization;
using LabelNoise.Curvature;
using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Training;
using LabelNoise.Randomness;
using LabelNoise.Figures;
using LabelNoise.Files;

namespace LabelNoise.Experiments;

/// <summary>
/// §5.1 and Fig. 4: label-noise SGD with heavy-ball momentum β follows the regularized loss L + λR_β with
/// λ = ησ²/(B(1−β)) and R_β = −(1+β)/(2η)·tr log(1 − η∇²L/(2(1+β))) (eq. 6 with its sign fixed). Tested on the
/// sparse-recovery model (exactly, by hand) and, with β = 0.9, by the escape runs of Fig. 3.
/// </summary>
public sealed class Momentum : IExperiment
{
    /// <summary>The theory part, on the quadratic sparse-recovery model.</summary>
    /// <param name="Momenta">The β compared (the first must be 0: the reference).</param>
    /// <param name="StiffestStep">η·g_max of the covariance runs (the same η for every β).</param>
    /// <param name="CovarianceLambda">The matched λ = ησ²/(n(1−β)) of the covariance runs (σ is set from it).</param>
    /// <param name="BurnIn">Steps discarded before the covariance samples.</param>
    /// <param name="CovarianceSteps">Steps sampled per β.</param>
    /// <param name="Batches">Batch means for the standard errors.</param>
    /// <param name="DriftLearningRate">η₀: the drift runs use η = η₀(1−β), so λ = η₀σ²/B and the effective step η/(1−β) = η₀ are the same for every β.</param>
    /// <param name="DriftNoiseStdDev">σ of the drift runs.</param>
    /// <param name="DriftBatchSize">B of the drift runs (drawn with replacement).</param>
    public sealed record TheoryConfig(int Features, int Examples, int Support, ulong DataSeed, double[] Momenta,
        double StiffestStep, double CovarianceLambda, int BurnIn, int CovarianceSteps, int Batches,
        double DriftLearningRate, double DriftNoiseStdDev, int DriftBatchSize, int DriftSteps, int DriftRecords, int DriftSeeds)
    {
        public void Validate()
        {
            if (Momenta.Length < 2 || Momenta[0] != 0 || Momenta.Any(b => !(b >= 0 && b < 1)))
                throw new ArgumentException("momenta must start with 0 and lie in [0, 1)", nameof(Momenta));
            if (!(StiffestStep > 0 && StiffestStep < 2)) throw new ArgumentOutOfRangeException(nameof(StiffestStep), StiffestStep, "η·g_max must lie in (0, 2) so that β = 0 is stable");
            if (!(CovarianceLambda > 0)) throw new ArgumentOutOfRangeException(nameof(CovarianceLambda), CovarianceLambda, "λ must be positive");
            if (Batches < 2 || CovarianceSteps < Batches) throw new ArgumentOutOfRangeException(nameof(Batches), Batches, "at least 2 batches and one sample each");
            if (!(DriftLearningRate > 0) || !(DriftNoiseStdDev > 0) || DriftBatchSize < 1 || DriftSteps < DriftRecords || DriftRecords < 4 || DriftSeeds < 1)
                throw new ArgumentException("the drift runs need η₀ > 0, σ > 0, B ≥ 1, at least 4 records and one seed");
        }
    }

    /// <summary>Part (b): escape runs from the adversarial initialization with momentum, against label noise and plain SGD without it.</summary>
    public sealed record EscapePart
    {
        public required EscapeSetting Setting { get; init; }
        public required InitRecipe Init { get; init; }

        /// <summary>η with momentum (0.02 at β = 0.9: 0.05 diverges).</summary>
        public required double LearningRate { get; init; }
        public double Momentum { get; init; } = 0.9;

        /// <summary>η of the β = 0 reference (Fig. 3's).</summary>
        public required double ReferenceLearningRate { get; init; }
        public required int Steps { get; init; }
        public required int Evaluations { get; init; }

        /// <summary>Curvature at every k-th measured point (as the escape experiment's runs, which part (b) may reuse).</summary>
        public int CurvatureEvery { get; init; } = 1;
        public required int Seeds { get; init; }
        public required double EmaDecay { get; init; }
        public double AnnealFraction { get; init; }
        public double AnnealFactor { get; init; } = 1;
    }

    public sealed record Config(TheoryConfig Theory, EscapePart? Escape);

    public const string CovarianceFile = "covariance.csv";
    public const string DriftFile = "drift.csv";
    public const string EscapeFile = "escape-momentum.csv";
    public const string InitsFile = "inits.csv";

    /// <summary>Largest accepted |measured/predicted − 1| of the mean over modes (covariance).</summary>
    public const double MeanTolerance = 0.05;

    /// <summary>Largest accepted |measured/predicted − 1| of any single mode (covariance).</summary>
    public const double ModeTolerance = 0.15;

    /// <summary>The form without (1 + β) is "refuted" when it misses the stiffest mode at the largest β by more than this.</summary>
    public const double RefuteTolerance = 0.25;

    /// <summary>Accepted range of t½(β)/t½(0) (the prediction of eq. 6 is 1).</summary>
    public const double HalfTimeLow = 0.75, HalfTimeHigh = 1.0 / 0.75;

    public static Config For(ExperimentScale scale)
    {
        var escape = EscapeConfig.For(scale);
        var part = new EscapePart
        {
            Setting = escape.Setting, Init = escape.Init, LearningRate = StableRate, Momentum = 0.9,
            ReferenceLearningRate = escape.LearningRate, Steps = escape.Steps, Evaluations = escape.Evaluations, CurvatureEvery = escape.CurvatureEvery, Seeds = escape.Seeds, EmaDecay = escape.EmaDecay,
            AnnealFraction = escape.AnnealFraction, AnnealFactor = escape.AnnealFactor,
        };
        return scale switch
        {
            ExperimentScale.Tiny => new(
                new TheoryConfig(Features: 20, Examples: 8, Support: 2, DataSeed: 1, Momenta: [0, 0.5, 0.9], StiffestStep: 1.6, CovarianceLambda: 1e-8,
                    BurnIn: 200, CovarianceSteps: 4_000, Batches: 20, DriftLearningRate: 0.004, DriftNoiseStdDev: 1, DriftBatchSize: 1,
                    DriftSteps: 4_000, DriftRecords: 8, DriftSeeds: 2),
                part with { Seeds = 1 }),
            ExperimentScale.Full => new(
                new TheoryConfig(Features: 100, Examples: 40, Support: 5, DataSeed: 1, Momenta: [0, 0.5, 0.9, 0.99], StiffestStep: 1.6, CovarianceLambda: 1e-8,
                    BurnIn: 5_000, CovarianceSteps: 1_000_000, Batches: 50, DriftLearningRate: 0.004, DriftNoiseStdDev: 1, DriftBatchSize: 1,
                    DriftSteps: 300_000, DriftRecords: 100, DriftSeeds: 5),
                part),
            // Laptop: part (a) takes about a minute; part (b) reuses the escape experiment's init and β = 0 runs when they were made with the same setting.
            _ => new(
                new TheoryConfig(Features: 100, Examples: 40, Support: 5, DataSeed: 1, Momenta: [0, 0.5, 0.9], StiffestStep: 1.6, CovarianceLambda: 1e-8,
                    BurnIn: 2_000, CovarianceSteps: 50_000, Batches: 20, DriftLearningRate: 0.004, DriftNoiseStdDev: 1, DriftBatchSize: 1,
                    DriftSteps: 100_000, DriftRecords: 50, DriftSeeds: 3),
                part),
        };
    }

    /// <summary>
    /// η with momentum β = 0.9 in part (b): the reference PyTorch run found 0.05 diverging and 0.02 stable (effective step η/(1−β) = 0.2,
    /// λ = η/(B(1−β)) the same as Fig. 3's runs at η = 0.2; at the same η without momentum λ is 10× smaller).
    /// </summary>
    public const double StableRate = 0.02;

    public string Name => "momentum";
    public string Title => "Label noise with momentum (Fig. 4, §5.1)";
    public string Description =>
        "§5.1: with heavy-ball momentum β (eq. 5) label-noise SGD follows L + λR_β with λ = ησ²/(B(1−β)) — momentum multiplies the " +
        "regularization by 1/(1−β), 10× at β = 0.9, which the paper credits for Fig. 4 doing better than Fig. 3 — and " +
        "R_β = −(1+β)/(2η)·tr log(1 − η∇²L/(2(1+β))) (eq. 6 as printed lacks the leading minus sign). Derivation: linearized at a " +
        "zero-loss θ*, each eigen-direction of G with curvature g is an AR(2) process x_{k+1} = (1+β−ηg)x_k − βx_{k−1} + e_k with " +
        "Var e = η²σ²g/B, whose stationary variance is λ/(2 − ηg/(1+β)); so E[ξξᵀ] = λΠ_G(2 − η'G)⁻¹ with η' = η/(1+β), and " +
        "½E∇³L[ξ, ξ] = λ∇R_β: R_β is eq. (1) with η replaced by η'. (a) On the sparse-recovery model (d = 100, n = 40, hand-written " +
        "float64) we test both parts: the stationary covariance of each mode at a zero-loss point against λ/(2 − η'g) (full-batch " +
        "label-noise steps, so that no minibatch noise enters; the same η for every β near the stability edge, so that the (1+β) in η' " +
        "matters), and the drift — the decrease of tr ∇²L under Algorithm 1 with B = 1 — at matched λ and effective step " +
        "(η = η₀(1−β)), where eq. (6) predicts the same speed for every β and λ without the factor 1/(1−β) would predict a " +
        "(1−β)-times slower one. (b) The escape runs of Fig. 3 from the adversarial initialization with β = 0.9.";

    public string Generate(ExperimentContext context) => Generate(context, For(context.Scale));

    /// <summary>Runs <paramref name="config"/> (part (b) is left out when its config is null).</summary>
    public string Generate(ExperimentContext context, Config config)
    {
        config.Theory.Validate();
        ExperimentRunner.WriteConfig(context.Folder, config);
        var clock = Stopwatch.StartNew();
        string theory = RunTheory(config.Theory, context);
        if (config.Escape is null) return theory + " Part (b) is not run at this scale.";
        return theory + " " + RunEscape(config.Escape, context) + string.Create(CultureInfo.InvariantCulture, $" Total {clock.Elapsed.TotalSeconds:F0} s.");
    }

    static string RunTheory(TheoryConfig config, ExperimentContext context)
    {
        var clock = Stopwatch.StartNew();
        var data = (RegressionDataset)SparseRegressionGenerator.Generate(config.Features, config.Examples, config.Support, config.DataSeed, testSize: 0).Train;
        var model = new QuadraticModel(config.Features);
        context.Report("gradient descent to a zero-loss point of the sparse-recovery model");
        var point = MomentumTheory.FindInterpolator(model, data, 1e-26, 5_000_000);
        double top = point.Curvatures[^1];
        double eta = config.StiffestStep / top;
        var covariance = new CsvTable("momentum", "mode", "curvature", "eta_curvature", "measured", "standard_error", "mean", "predicted",
            "predicted_without_one_plus_beta", "lambda", "learning_rate", "noise_std");
        var root = new RandomStream(context.Seed ^ 0x5EED_0F_0C0FUL);
        foreach (double beta in config.Momenta)
        {
            double sigma = Math.Sqrt(config.CovarianceLambda * data.Count * (1 - beta) / eta); // λ = ησ²/(n(1−β)) for the full batch
            var moments = MomentumTheory.StationaryMoments(model, data, point, eta, beta, sigma, config.BurnIn, config.CovarianceSteps, config.Batches,
                root.Split(), context.Cancellation);
            for (int i = 0; i < moments.Length; i++)
            {
                var m = moments[i];
                covariance.Add(beta, i, m.Curvature, eta * m.Curvature, m.Measured, m.StandardError, m.Mean,
                    MomentumTheory.PredictedVariance(m.Curvature, eta, beta, config.CovarianceLambda),
                    MomentumTheory.PredictedVariance(m.Curvature, eta, 0, config.CovarianceLambda), config.CovarianceLambda, eta, sigma);
            }
            context.Report(string.Create(CultureInfo.InvariantCulture, $"stationary covariance at β = {beta}: {moments.Length} modes ({clock.Elapsed.TotalSeconds:F0} s)"));
        }
        covariance.Write(Path.Combine(context.Folder, CovarianceFile));

        var drift = new CsvTable("momentum", "seed", "step", "learning_rate", "trace", "recovery_error", "loss");
        var truth = SparseRegressionGenerator.GroundTruth(config.Features, config.Support);
        foreach (double beta in config.Momenta)
            for (int seed = 0; seed < config.DriftSeeds; seed++)
            {
                double learningRate = config.DriftLearningRate * (1 - beta);
                var points = MomentumTheory.Drift(model, data, point.Parameters, truth, learningRate, beta, config.DriftNoiseStdDev, config.DriftBatchSize,
                    config.DriftSteps, config.DriftRecords, RunGenerators.FromSeed(context.Seed * 7919 + (ulong)seed), context.Cancellation);
                foreach (var p in points) drift.Add(beta, seed, p.Step, learningRate, p.Trace, p.RecoveryError, p.Loss);
            }
        drift.Write(Path.Combine(context.Folder, DriftFile));
        context.Report(string.Create(CultureInfo.InvariantCulture, $"drift runs done ({clock.Elapsed.TotalSeconds:F0} s)"));

        return string.Create(CultureInfo.InvariantCulture,
            $"(a) Sparse recovery: d = {config.Features}, n = {config.Examples}, r = {config.Support} (data seed {config.DataSeed}); θ* from full-batch gradient descent from u = 1, v = 0 " +
            $"({point.Steps:N0} steps, L = {point.Loss:G2}); G(θ*) has {point.Curvatures.Length} nonzero eigenvalues in [{point.Curvatures[0]:G3}, {top:G3}]. " +
            $"Covariance: η = {config.StiffestStep}/g_max = {eta:G4} for every β ∈ {{{string.Join(", ", config.Momenta)}}}, full-batch ±σ label noise with σ set so that λ = ησ²/(n(1−β)) = {config.CovarianceLambda:G2}, " +
            $"{config.BurnIn:N0} burn-in steps, then {config.CovarianceSteps:N0} steps, standard errors from {config.Batches} batch means; compared per mode with λ/(2 − η'g). " +
            $"Drift: Algorithm 1 (B = {config.DriftBatchSize}, with replacement, σ = {config.DriftNoiseStdDev}) from θ* with η = {config.DriftLearningRate}(1−β), i.e. λ = {config.DriftLearningRate * config.DriftNoiseStdDev * config.DriftNoiseStdDev / config.DriftBatchSize:G3} and effective step {config.DriftLearningRate} for every β; " +
            $"{config.DriftSteps:N0} steps, exact tr ∇²L at {config.DriftRecords} points, {config.DriftSeeds} seeds. Part (a) took {clock.Elapsed.TotalSeconds:F0} s.");
    }

    static string RunEscape(EscapePart config, ExperimentContext context)
    {
        var clock = Stopwatch.StartNew();
        var runs = new EscapeRuns(config.Setting);
        int parameterCount;
        using (var probe = runs.NewLearner(runs.Train, new RandomStream(0))) parameterCount = probe.ParameterCount;
        var reuse = EscapeReuse.Find(context, config.Setting, config.Init, config.EmaDecay, config.AnnealFraction, config.AnnealFactor, parameterCount);
        double[] start;
        string initText;
        if (reuse is not null)
        {
            start = reuse.AdversarialInit;
            reuse.CopyInits(Path.Combine(context.Folder, InitsFile));
            initText = $"the escape experiment's adversarial initialization (read from {EscapeConfig.AdversarialInitFile}: same setting, recipe and seed)";
        }
        else
        {
            context.Report("(b) building the adversarial initialization (as in the escape experiment, same seed)");
            var adversarial = ParallelRuns.Map([config.Init], recipe => runs.AdversarialInit(recipe, context.Seed, context.Cancellation))[0];
            InitPhase.Table(adversarial.Phases).Write(Path.Combine(context.Folder, InitsFile));
            start = adversarial.Parameters;
            initText = string.Create(CultureInfo.InvariantCulture, $"the escape experiment's adversarial initialization, built again ({clock.Elapsed.TotalSeconds:F0} s)");
        }
        RunRecipe Recipe(EscapeMethod method, int seed, double learningRate, double momentum) => new()
        {
            Init = EscapeInit.Adversarial, Method = method, Seed = seed, LearningRate = learningRate, Momentum = momentum, Steps = config.Steps,
            Evaluations = config.Evaluations, CurvatureEvery = config.CurvatureEvery, EmaDecay = config.EmaDecay, AnnealFraction = config.AnnealFraction, AnnealFactor = config.AnnealFactor,
        };
        // Made here: label noise with momentum, and without it at the same η (momentum's λ is 1/(1−β) times larger). Read from the
        // escape experiment when it ran with this setting: label noise and plain SGD at Fig. 3's η (the same λ as with momentum).
        var plan = Enumerable.Range(0, config.Seeds).SelectMany(seed => new[]
        {
            Recipe(EscapeMethod.LabelNoise, seed, config.LearningRate, config.Momentum), Recipe(EscapeMethod.LabelNoise, seed, config.LearningRate, 0),
        }).ToList();
        var references = Enumerable.Range(0, config.Seeds).SelectMany(seed => new[] { EscapeMethod.LabelNoise, EscapeMethod.Sgd }.Select(m => Recipe(m, seed, config.ReferenceLearningRate, 0))).ToArray();
        var curves = EscapeCurves.NewTable();
        string referenceText;
        var escapeCurves = reuse?.Curves;
        var reused = references.Select(r => escapeCurves?.Where("init", (int)r.Init).Where("method", (int)r.Method).Where("momentum", 0).Where("learning_rate", r.LearningRate).Where("seed", r.Seed)).ToArray();
        if (reused.All(t => t is not null && t.RowCount == config.Evaluations + 1 && t.Column("step")[^1] == config.Steps))
        {
            foreach (var t in reused)
                for (int i = 0; i < t!.RowCount; i++) curves.Add(t.Columns.Select(c => t[i, c]).ToArray());
            referenceText = $"the runs at β = 0, η = {config.ReferenceLearningRate} are the escape experiment's (read from its curves.csv)";
        }
        else
        {
            plan.AddRange(references);
            referenceText = $"the runs at β = 0, η = {config.ReferenceLearningRate} are made here (the escape experiment's were not found with this setting)";
        }
        var results = ParallelRuns.Map(plan, run => runs.Run(run, start, context.Seed, cancellation: context.Cancellation),
            (_, run, points) => context.Report(string.Create(CultureInfo.InvariantCulture,
                $"(b) {run.Method.Name()} with β = {run.Momentum}, η = {run.LearningRate:G4}, seed {run.Seed}: test {100 * points[0].TestAccuracy:F1} % → {100 * points[^1].TestAccuracy:F1} % (averaged iterate {100 * points[^1].EmaTestAccuracy:F1} %), tr ∇²L → {Uncertain.Format(points[^1].Trace, points[^1].TraceStandardError, "F1", "F1")} ({clock.Elapsed.TotalSeconds:F0} s)")),
            context.Cancellation);
        for (int k = 0; k < plan.Count; k++) EscapeCurves.Add(curves, plan[k], results[k]);
        curves.Write(Path.Combine(context.Folder, EscapeFile));
        var s = config.Setting;
        double lambda = config.LearningRate / (s.BatchSize * (1 - config.Momentum)), reference = config.ReferenceLearningRate / s.BatchSize;
        return string.Create(CultureInfo.InvariantCulture,
            $"(b) From {initText} ({s.Data}, {runs.Train.Count:N0} training images, {s.Model}): " +
            $"label-flip SGD (p = {s.FlipProbability}, B = {s.BatchSize}) with β = {config.Momentum}, η = {config.LearningRate:G4}{Escape.Anneal(config.AnnealFraction, config.AnnealFactor, config.LearningRate)} (λ = η/(B(1−β)) = {lambda:G3}, effective step η/(1−β) = {config.LearningRate / (1 - config.Momentum):G3}) " +
            $"against label noise with β = 0 at the same η (λ = {config.LearningRate / s.BatchSize:G3}, 1−β times smaller) and label noise and plain SGD with β = 0 at Fig. 3's η = {config.ReferenceLearningRate} (λ = {reference:G3}); {referenceText}. {config.Steps:N0} steps, {config.Seeds} seed(s), measured as in the escape experiment " +
            $"({Escape.CurvatureText(s.Curvature, runs.CurvatureSet.Count)}; averaged iterate: EMA with decay {config.EmaDecay}); part (b) took {clock.Elapsed.TotalSeconds:F0} s.");
    }

    public IReadOnlyList<FigureFile> Plot(string folder)
    {
        var figures = new List<FigureFile>();
        var covariance = CsvTable.Read(Path.Combine(folder, CovarianceFile));
        var momenta = covariance.Column("momentum").Distinct().Order().ToArray();
        string B(double beta) => beta.ToString(CultureInfo.InvariantCulture);
        var series = new List<Series>();
        foreach (double beta in momenta)
        {
            var rows = covariance.Where("momentum", beta);
            var x = rows.Column("eta_curvature");
            var lambda = rows.Column("lambda");
            series.Add(new Series($"measured, β = {B(beta)}", x, rows.Column("measured").Select((v, i) => v / lambda[i]).ToArray(), MarkersOnly: true));
            var grid = Enumerable.Range(0, 101).Select(k => x.Max() * k / 100).ToArray();
            series.Add(new Series($"λ/(2 − ηg/(1+β)), β = {B(beta)}", grid, grid.Select(v => 1 / (2 - v / (1 + beta))).ToArray()));
        }
        figures.Add(FigureWriter.Line(folder, "covariance", "Stationary variance per mode with momentum", "η·g (mode curvature × step size)", "E⟨v, θ − θ*⟩² / λ", series,
            "Stationary variance of each eigen-direction of G at a zero-loss point, divided by the matched λ = ησ²/(B(1−β)), against ηg (markers), with the prediction 1/(2 − ηg/(1+β)) behind eq. (6) (lines). The form with η in place of η/(1+β) is the β = 0 curve for every β."));

        var ratios = momenta.Select(beta =>
        {
            var rows = covariance.Where("momentum", beta);
            var measured = rows.Column("measured");
            var predicted = rows.Column("predicted");
            return new Series($"β = {B(beta)}", rows.Column("eta_curvature"), measured.Select((v, i) => v / predicted[i]).ToArray(), MarkersOnly: true);
        }).ToList();
        figures.Add(FigureWriter.Line(folder, "covariance-ratio", "Measured / predicted stationary variance", "η·g", "measured / (λ/(2 − ηg/(1+β)))", ratios,
            "Each mode's measured variance over the prediction λ/(2 − ηg/(1+β)); 1 is perfect agreement (batch-means standard errors are in covariance.csv: 1–3 % per mode).",
            horizontalLines: [(1, "prediction")]));

        var drift = CsvTable.Read(Path.Combine(folder, DriftFile));
        var bands = drift.Column("momentum").Distinct().Order().Select(beta =>
        {
            var group = drift.Where("momentum", beta);
            var seeds = group.Column("seed").Distinct().Order().Select(s => group.Where("seed", s)).ToArray();
            return (Beta: beta, Seeds: seeds);
        }).ToArray();
        figures.Add(FigureWriter.Line(folder, "drift-trace", "tr ∇²L under label noise at matched λ and effective step", "step (effective time = step × η₀)", "tr ∇²L",
            bands.Select(b =>
            {
                var (steps, median, min, max) = EscapeCurves.Band(b.Seeds, "trace");
                return new Series($"β = {B(b.Beta)}, η = η₀(1−β)", steps, median, min, max);
            }).ToList(),
            "Algorithm 1 with momentum from a dense interpolator of the sparse-recovery model, η = η₀(1−β): eq. (6) predicts the same curve for every β; λ without 1/(1−β) would predict the β-curves (1−β)× slower. Median over seeds, min/max band."));
        figures.Add(FigureWriter.Line(folder, "drift-recovery", "Sparse recovery at matched λ", "step", "‖u⊙u − v⊙v − w*‖²",
            bands.Select(b =>
            {
                var (steps, median, min, max) = EscapeCurves.Band(b.Seeds, "recovery_error");
                return new Series($"β = {B(b.Beta)}", steps, median, min, max);
            }).ToList(),
            "The recovery error along the same runs (median over seeds, min/max band): the regularization drives all β to the sparse ground truth at the same speed.", logY: true));

        var escapePath = Path.Combine(folder, EscapeFile);
        if (File.Exists(escapePath))
        {
            var groups = EscapeGroups(CsvTable.Read(escapePath));
            foreach (var (column, label, name, scale, error) in new[]
            {
                ("test_acc", "test accuracy (%)", "escape-test-accuracy", 100.0, (string?)null), ("train_acc", "training accuracy (%)", "escape-train-accuracy", 100.0, null),
                ("trace", "tr ∇²L", "escape-trace", 1.0, "trace_se"), ("regularizer", "R_β(θ)", "escape-regularizer", 1.0, "regularizer_se"),
            })
                figures.Add(FigureWriter.Line(folder, name, $"From the adversarial initialization: {label}", "step", label,
                    groups.Select(g => EscapeCurves.Line(g.Label, g.Seeds, column, scale, error)).ToList(),
                    $"Fig. 4 against Fig. 3: label-flip SGD from the adversarial initialization with and without momentum, and plain SGD ({label}; median over seeds, min/max band" +
                    (error is null ? ")." : " of the estimate ± one standard error). R_β is eq. (6) at each run's own η and β.")));
        }
        return figures;
    }

    public IReadOnlyList<Claim> Evaluate(string folder)
    {
        string F(double x) => x.ToString("G3", CultureInfo.InvariantCulture);
        string P(double fraction) => (100 * fraction).ToString("F1", CultureInfo.InvariantCulture) + " %";
        var claims = new List<Claim>();

        var covariance = CsvTable.Read(Path.Combine(folder, CovarianceFile));
        var momenta = covariance.Column("momentum").Distinct().Order().ToArray();
        var perBeta = momenta.Select(beta =>
        {
            var rows = covariance.Where("momentum", beta);
            var ratio = Enumerable.Range(0, rows.RowCount).Select(i => rows[i, "measured"] / rows[i, "predicted"]).ToArray();
            int stiffest = Array.IndexOf(rows.Column("curvature"), rows.Column("curvature").Max());
            return (Beta: beta, Mean: ratio.Average(), Worst: ratio.Max(r => Math.Abs(r - 1)), Stiffest: ratio[stiffest],
                Naive: rows[stiffest, "measured"] / rows[stiffest, "predicted_without_one_plus_beta"]);
        }).ToArray();
        bool agrees = perBeta.All(b => Math.Abs(b.Mean - 1) <= MeanTolerance && b.Worst <= ModeTolerance);
        claims.Add(new Claim("With momentum the label-noise fluctuation has covariance λΠ_G(2 − ηG/(1+β))⁻¹ with λ = ησ²/(B(1−β)): the covariance behind eq. (6)'s R_β",
            string.Join("; ", perBeta.Select(b => $"β = {F(b.Beta)}: measured/predicted {F(b.Mean)} on average over modes, worst mode off by {100 * b.Worst:F1} %, stiffest mode {F(b.Stiffest)}")),
            $"for every β the mean ratio is within {100 * MeanTolerance:F0} % of 1 and every mode within {100 * ModeTolerance:F0} %",
            agrees)
        {
            Margin = Margin.Join(Margin.AtMost(perBeta.Max(b => 100 * Math.Abs(b.Mean - 1)), 100 * MeanTolerance, " % (mean, worst β)", "F1"),
                Margin.AtMost(perBeta.Max(b => 100 * b.Worst), 100 * ModeTolerance, " % (worst mode)", "F1")),
        });
        var top = perBeta[^1];
        claims.Add(new Claim("The (1+β) inside R_β matters: R with η in place of η/(1+β) (eq. 1's form at the same λ) mispredicts the stiff directions",
            $"at β = {F(top.Beta)} the stiffest mode's variance is {F(top.Stiffest)} × λ/(2 − ηg/(1+β)) but {F(top.Naive)} × λ/(2 − ηg)",
            $"within {100 * ModeTolerance:F0} % of the (1+β) form and more than {100 * RefuteTolerance:F0} % off the form without it",
            Math.Abs(top.Stiffest - 1) <= ModeTolerance && Math.Abs(top.Naive - 1) > RefuteTolerance)
        {
            Margin = Margin.Join(Margin.AtMost(100 * Math.Abs(top.Stiffest - 1), 100 * ModeTolerance, " % (with 1+β)", "F1"),
                Margin.AtLeast(100 * Math.Abs(top.Naive - 1), 100 * RefuteTolerance, " % (without it)", "F1")),
        });

        var drift = CsvTable.Read(Path.Combine(folder, DriftFile));
        var driftMomenta = drift.Column("momentum").Distinct().Order().ToArray();
        CsvTable[] SeedsOf(double beta)
        {
            var group = drift.Where("momentum", beta);
            return group.Column("seed").Distinct().Order().Select(s => group.Where("seed", s)).ToArray();
        }
        // One level for every β: half-way from the common start to where β = 0 ends (median of its last quarter).
        var referenceSeeds = SeedsOf(driftMomenta[0]);
        double startLevel = EscapeCurves.MedianAt(referenceSeeds, "trace", 0);
        double endLevel = Vectors.Median(referenceSeeds.Select(r => EndLevel(r)));
        double half = endLevel + (startLevel - endLevel) / 2;
        var halfTimes = driftMomenta.Select(beta =>
        {
            var seeds = SeedsOf(beta);
            return (Beta: beta, HalfTime: Vectors.Median(seeds.Select(r => CrossingStep(r, half))),
                Start: EscapeCurves.MedianAt(seeds, "trace", 0), End: EscapeCurves.MedianAt(seeds, "trace", -1));
        }).ToArray();
        double reference = halfTimes[0].HalfTime;
        var driftRatios = halfTimes.Select(h => h.HalfTime / reference).ToArray();
        // Each seed on its own: its tr ∇²L falls at every β, and its half-way time at every β is within the band of its own β = 0 run's.
        bool SeedAgrees(CsvTable first) => driftMomenta.All(beta =>
        {
            var run = SeedsOf(beta).Single(r => r[0, "seed"] == first[0, "seed"]);
            double ratio = CrossingStep(run, half) / CrossingStep(first, half);
            return EscapeCurves.Final(run, "trace") < EscapeCurves.Initial(run, "trace") && ratio >= HalfTimeLow && ratio <= HalfTimeHigh;
        });
        var seedsAgree = EscapeClaims.SeedCount(referenceSeeds, SeedAgrees);
        claims.Add(new Claim("Momentum multiplies the implicit regularization by 1/(1−β): at η = η₀(1−β) (the same λ = ησ²/(B(1−β)) and effective step for every β) tr ∇²L falls at the same speed",
            $"half-way level {F(half)} (from {F(startLevel)} toward β = 0's end level {F(endLevel)}); " +
            string.Join("; ", halfTimes.Select((h, i) => $"β = {F(h.Beta)}: tr ∇²L {F(h.Start)} → {F(h.End)}, half-way after {F(h.HalfTime)} steps (ratio to β = 0: {F(driftRatios[i])}; predicted without 1/(1−β) in λ: {F(1 / (1 - h.Beta))})")),
            $"tr ∇²L falls for every β and the steps to the half-way level agree within a factor [{F(HalfTimeLow)}, {F(HalfTimeHigh)}] of β = 0's, in the medians over seeds and in every seed on its own",
            halfTimes.All(h => h.End < h.Start) && driftRatios.All(r => r >= HalfTimeLow && r <= HalfTimeHigh) && seedsAgree.All)
        {
            Margin = Margin.Join(Margin.AtLeast(driftRatios.Min(), HalfTimeLow, " (smallest ratio)"), Margin.AtMost(driftRatios.Max(), HalfTimeHigh, " (largest ratio)"), seedsAgree.Text),
        });

        var escapePath = Path.Combine(folder, EscapeFile);
        if (File.Exists(escapePath))
        {
            var curves = CsvTable.Read(escapePath);
            double beta = curves.Column("momentum").Max();
            var momentumRuns = EscapeCurves.Seeds(curves, EscapeInit.Adversarial, EscapeMethod.LabelNoise, beta);
            double rate = momentumRuns[0][0, "learning_rate"];
            double sgdRate = curves.Where("method", (int)EscapeMethod.Sgd).Column("learning_rate").Max();
            var withoutRuns = EscapeCurves.Seeds(curves, EscapeInit.Adversarial, EscapeMethod.LabelNoise, 0, rate);
            var sgdRuns = EscapeCurves.Seeds(curves, EscapeInit.Adversarial, EscapeMethod.Sgd, 0, sgdRate);
            var with = EscapeSummary.Summarize(EscapeInit.Adversarial, EscapeMethod.LabelNoise, momentumRuns);
            var without = EscapeSummary.Summarize(EscapeInit.Adversarial, EscapeMethod.LabelNoise, withoutRuns);
            var sgd = EscapeSummary.Summarize(EscapeInit.Adversarial, EscapeMethod.Sgd, sgdRuns);
            var escapes = EscapeClaims.SeedCount(EscapeCurves.Paired(momentumRuns, sgdRuns), (n, g) => EscapeClaims.GainsEnough(n) && EscapeClaims.EscapesAboveSgd(n, g));
            var flatter = EscapeClaims.SeedCount(EscapeCurves.Paired(momentumRuns, withoutRuns),
                (m, w) => EscapeCurves.Final(m, "trace") < EscapeCurves.Final(w, "trace") && EscapeCurves.Final(m, "test_acc") >= EscapeCurves.Final(w, "test_acc"));
            double gain = 100 * (with.TestFinal.Median - with.TestInitial.Median), overSgd = 100 * (with.TestFinal.Median - sgd.TestFinal.Median);
            claims.Add(new Claim($"With momentum β = {F(beta)} label-noise SGD escapes the adversarial initialization (Fig. 4): it gains several points, ends well above plain SGD, and tr ∇²L falls",
                $"η = {F(rate)}: test {P(with.TestInitial.Median)} → {P(with.TestFinal.Median)} ({gain:+0.0;−0.0} points; averaged iterate {P(with.EmaFinal.Median)}); plain SGD (β = 0, η = {F(sgdRate)}) from the same point ends at {P(sgd.TestFinal.Median)} ({overSgd:+0.0;−0.0} points for label noise); " +
                $"tr ∇²L {F(with.TraceFirst.Median)} at the first measured step after 0 → {Uncertain.Format(with.TraceFinal.Median, with.TraceStandardErrorFinal, "G3", "G3")} (medians of {with.Seeds} seed(s))",
                $"test accuracy gain of the last iterate ≥ {EscapeClaims.EscapeGainPoints} points, at least {EscapeClaims.AboveSgdPoints} points above plain SGD, and the final tr ∇²L below its first measured value after step 0{EscapeClaims.EverySeed}",
                gain >= EscapeClaims.EscapeGainPoints && overSgd >= EscapeClaims.AboveSgdPoints && with.TraceFinal.Median < with.TraceFirst.Median && escapes.All)
            {
                Margin = Margin.Join(Margin.AtLeast(gain, EscapeClaims.EscapeGainPoints, " points (gain)", "F1"), Margin.AtLeast(overSgd, EscapeClaims.AboveSgdPoints, " points (over plain SGD)", "F1"),
                    Margin.Below(with.TraceFinal.Median, with.TraceFirst.Median), escapes.Text),
            });
            claims.Add(new Claim($"Momentum multiplies λ by 1/(1−β) and so regularizes more: at the same η, label noise with β = {F(beta)} ends flatter and tests at least as well as without momentum (Fig. 4 vs Fig. 3)",
                $"η = {F(rate)}: final tr ∇²L {Uncertain.Format(with.TraceFinal.Median, with.TraceStandardErrorFinal, "G3", "G3")} with momentum, {Uncertain.Format(without.TraceFinal.Median, without.TraceStandardErrorFinal, "G3", "G3")} without; final test accuracy {P(with.TestFinal.Median)} with, {P(without.TestFinal.Median)} without",
                "lower final tr ∇²L and a final test accuracy (last iterate) no lower than without momentum at the same η" + EscapeClaims.EverySeed,
                with.TraceFinal.Median < without.TraceFinal.Median && with.TestFinal.Median >= without.TestFinal.Median && flatter.All)
            {
                Margin = Margin.Join(Margin.Below(with.TraceFinal.Median, without.TraceFinal.Median), Margin.AtLeast(100 * (with.TestFinal.Median - without.TestFinal.Median), 0, " points", "F1"), flatter.Text),
            });
            var noisy = EscapeGroups(curves).Where(g => g.Method == EscapeMethod.LabelNoise).SelectMany(g => g.Seeds).ToArray();
            var (resolved, worst, points) = EscapeClaims.Resolution(noisy);
            claims.Add(new Claim("(Measurement) The curvature numbers shown are resolved: tr ∇²L and R_β of the label-noise runs (with and without momentum) have a standard error below 10 % of their value at every measured point after the first",
                $"{points} numbers checked over {noisy.Length} runs; the largest standard error is {100 * worst:F1} % of its value",
                $"standard error < {100 * EscapeClaims.ResolvedFraction:F0} % of the value everywhere after the first measured point",
                resolved)
            {
                Margin = Margin.AtMost(100 * worst, 100 * EscapeClaims.ResolvedFraction, " % of the value", "F1"),
            });
        }
        return claims;
    }

    /// <summary>The groups of part (b) in escape-momentum.csv: label noise with and without momentum, plain SGD; labelled for figures.</summary>
    static IReadOnlyList<(string Label, EscapeMethod Method, double Beta, CsvTable[] Seeds)> EscapeGroups(CsvTable curves) =>
        curves.Column("momentum").Distinct().OrderDescending()
            .SelectMany(beta => curves.Where("momentum", beta).Column("learning_rate").Distinct().Order().Select(rate => (Beta: beta, Rate: rate)))
            .SelectMany(g => new[] { EscapeMethod.LabelNoise, EscapeMethod.Sgd }.Select(m => (Method: m, g.Beta, g.Rate)))
            .Select(g => (g.Method, g.Beta, g.Rate, Seeds: EscapeCurves.Seeds(curves, EscapeInit.Adversarial, g.Method, g.Beta, g.Rate)))
            .Where(g => g.Seeds.Length > 0)
            .Select(g => ($"{g.Method.Label()}, β = {g.Beta.ToString(CultureInfo.InvariantCulture)}, η = {g.Rate.ToString(CultureInfo.InvariantCulture)}", g.Method, g.Beta, g.Seeds))
            .ToArray();

    /// <summary>The table of part (b): per group, test % initial → final (last and averaged iterate) and tr ∇²L, R ± SE at the end.</summary>
    public IReadOnlyList<ReportTable> Tables(string folder)
    {
        var path = Path.Combine(folder, EscapeFile);
        if (!File.Exists(path)) return [];
        var groups = EscapeGroups(CsvTable.Read(path));
        var summaries = groups.Select(g => EscapeSummary.Summarize(EscapeInit.Adversarial, g.Method, g.Seeds)).ToArray();
        return [EscapeSummary.EscapeTable(summaries, "Part (b): runs from the adversarial initialization; medians over seeds [min–max]; R_β at each run's own η and β.", (_, i) => groups[i].Label)];
    }

    /// <summary>The median over a run's last quarter of records of a column: its end level.</summary>
    public static double EndLevel(CsvTable run, string column = "trace")
    {
        var values = run.Column(column);
        int quarter = Math.Max(1, values.Length / 4);
        return Vectors.Median(values.Skip(values.Length - quarter));
    }

    /// <summary>
    /// The step at which a run's tr ∇²L first falls to <paramref name="level"/>, interpolated linearly between
    /// records; +∞ if it never does.
    /// </summary>
    public static double CrossingStep(CsvTable run, double level)
    {
        var steps = run.Column("step");
        var trace = run.Column("trace");
        if (trace[0] <= level) return steps[0];
        for (int i = 1; i < trace.Length; i++)
            if (trace[i] <= level)
                return steps[i - 1] + (steps[i] - steps[i - 1]) * (trace[i - 1] - level) / (trace[i - 1] - trace[i]);
        return double.PositiveInfinity;
    }
}
