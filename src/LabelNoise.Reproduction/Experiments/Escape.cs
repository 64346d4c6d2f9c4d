using System.Diagnostics;
using System.Globalization;
using LabelNoise.Curvature;
using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Figures;
using LabelNoise.Files;

namespace LabelNoise.Experiments;

/// <summary>
/// Fig. 3 (§4): label-noise SGD escapes poor zero-loss initializations (full-batch GD; Liu et al.'s adversarial
/// one) toward flatter minimizers that generalize better, while plain SGD stays, and the smoothed control (the
/// same expected loss without the noise) does not do what label noise does.
/// </summary>
public sealed class Escape : IExperiment
{
    /// <summary>The experiment's configuration (defaults: the laptop setting).</summary>
    public sealed record Config
    {
        public EscapeSetting Setting { get; init; } = new();
        public InitRecipe Init { get; init; } = new();

        /// <summary>η of every escape run (plain SGD, label noise, smoothed control, baseline).</summary>
        public double LearningRate { get; init; } = 0.2;

        /// <summary>
        /// Steps of every run from the adversarial init (measured on the laptop setting, seed 0, from its 75.0 % init: after 10,000 steps
        /// label noise tests 79.4 %, plain SGD 75.2 %, the smoothed control 75.2 %; after 20,000 steps 79.6, 75.3 and 74.6 %).
        /// </summary>
        public int Steps { get; init; } = 10_000;

        /// <summary>Measured points after step 0, equally spaced.</summary>
        public int Evaluations { get; init; } = 10;

        /// <summary>Seeds per (initialization, method); the inits themselves are built once.</summary>
        public int Seeds { get; init; } = 3;

        /// <summary>Decay per step of the parameters' moving average (the averaged iterate; time constant 1/(1 − d) steps).</summary>
        public double EmaDecay { get; init; } = 0.999;

        /// <summary>
        /// The last fraction of every run's steps at η × <see cref="AnnealFactor"/> (the same for every method): label noise's last iterate
        /// then stops fluctuating around where it has drifted to (the official code decays η with a cosine schedule).
        /// </summary>
        public double AnnealFraction { get; init; } = 0.2;

        /// <summary>The factor on η in the annealed part.</summary>
        public double AnnealFactor { get; init; } = 0.1;

        /// <summary>Settings tried, in order, for one where the full-batch initialization is poor (<see cref="FullBatchSearch"/>).</summary>
        public IReadOnlyList<FullBatchCandidate> FullBatchCandidates { get; init; } = [];

        /// <summary>
        /// Steps of the runs from the full-batch initialization, when a candidate qualifies. They run on one worker while the other builds
        /// the adversarial init, so their time is hidden behind it. Measured from the small CNN's GD point: label noise at η = 0.1 gains about
        /// one point in 10,000 steps (75.9 → 76.9 %) and no more in 30,000 (75.6 %), against the setting's minibatch SGD at 79.7 %.
        /// </summary>
        public int FullBatchSteps { get; init; } = 4_000;

        /// <summary>
        /// Measured points after step 0 of the runs from the full-batch initialization (they measure accuracies only; the CNN's
        /// accuracies on the training and test images, last and averaged iterate, cost about 3 s a point on one thread).
        /// </summary>
        public int FullBatchEvaluations { get; init; } = 4;

        /// <summary>Training-set sizes of the escape-gain figure (label noise − plain SGD from the adversarial init); none: not run.</summary>
        public IReadOnlyList<int> GainSizes { get; init; } = [];

        public void Validate()
        {
            Setting.Validate();
            Init.Validate();
            if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "η must be positive");
            if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "at least one step");
            if (Evaluations < 1 || Evaluations > Steps) throw new ArgumentOutOfRangeException(nameof(Evaluations), Evaluations, "between 1 and the number of steps");
            if (Seeds < 1) throw new ArgumentOutOfRangeException(nameof(Seeds), Seeds, "at least one seed");
            if (!(EmaDecay > 0 && EmaDecay < 1)) throw new ArgumentOutOfRangeException(nameof(EmaDecay), EmaDecay, "must lie in (0, 1)");
            if (!(AnnealFraction >= 0 && AnnealFraction < 1)) throw new ArgumentOutOfRangeException(nameof(AnnealFraction), AnnealFraction, "must lie in [0, 1)");
            if (!(AnnealFactor > 0 && AnnealFactor <= 1)) throw new ArgumentOutOfRangeException(nameof(AnnealFactor), AnnealFactor, "must lie in (0, 1]");
            foreach (var c in FullBatchCandidates) c.Validate();
            if (FullBatchEvaluations < 1 || FullBatchSteps < FullBatchEvaluations) throw new ArgumentOutOfRangeException(nameof(FullBatchEvaluations), FullBatchEvaluations, "between 1 and the full-batch runs' steps");
            if (GainSizes.Any(n => n < 10)) throw new ArgumentOutOfRangeException(nameof(GainSizes), "training-set sizes must be ≥ 10");
        }
    }

    /// <summary>The environment variable naming a CIFAR-10 folder (binary version) for the full-scale run.</summary>
    public const string CifarVariable = "LABELNOISE_CIFAR10";

    public const string CurvesFile = "curves.csv";
    public const string InitsFile = "inits.csv";
    public const string SummaryCsvFile = "escape-summary.csv";
    public const string GainFile = "gain.csv";

    /// <summary>The adversarial initialization's parameters (float64, <see cref="StateVector"/>), which momentum reuses.</summary>
    public const string AdversarialInitFile = "adversarial-init.bin";

    /// <summary>Points of test accuracy (absolute, in %) label noise must gain over the adversarial initialization.</summary>
    public const double EscapeGainPoints = 2;

    /// <summary>Points of test accuracy label noise must end above plain SGD from the same initialization.</summary>
    public const double AboveSgdPoints = 1.5;

    /// <summary>Plain SGD "stays" when its test accuracy changes by at most this many points.</summary>
    public const double StayPoints = 1;

    /// <summary>The smoothed control "does not improve like label noise" when it ends at least this many points below it.</summary>
    public const double ControlGapPoints = 1;

    /// <summary>Label noise "reaches the baseline" from the full-batch initialization when it ends within this many points of it.</summary>
    public const double BaselinePoints = 1;

    /// <summary>"100 % training accuracy" up to one image in a thousand (plain SGD at η = 0.1 keeps a boundary image or two flickering).</summary>
    public const double FullTrainAccuracy = 0.999;

    /// <summary>An initialization is "poor" when it tests at least this many points below the baseline.</summary>
    public const double PoorPoints = 2;

    /// <summary>A curvature number is "resolved" when its standard error is below this fraction of its value.</summary>
    public const double ResolvedFraction = 0.1;

    static readonly SgdPhase SearchDescent = new() { LearningRate = 0.2, Momentum = 0.9, BatchSize = 1, MaxSteps = 1_500 };

    public static Config For(ExperimentScale scale) => scale switch
    {
        ExperimentScale.Tiny => new()
        {
            Setting = new()
            {
                TrainSize = 200, TestSize = 200, Model = "mlp:16", ProxyBatches = 2,
                Curvature = new() { Examples = 50, Probes = 3, LanczosSteps = 3, GuardSteps = 4, Deflation = 2 },
            },
            Init = new()
            {
                FullBatch = SearchDescent with { MaxSteps = 300 },
                Memorize = new() { LearningRate = 0.05, Momentum = 0.9, BatchSize = 128, MaxSteps = 200 },
                Fit = new() { LearningRate = 0.1, BatchSize = 32, MaxSteps = 600 },
                Polish = new() { LearningRate = 0.1, BatchSize = 32, MaxSteps = 100 },
                CheckEvery = 50, MemorizeCheckEvery = 100,
            },
            Steps = 100, Evaluations = 2,
            FullBatchCandidates = [new() { TrainSize = 100, Model = "mlp:16", GradientDescent = SearchDescent with { MaxSteps = 200 }, SgdSteps = 100 }],
            FullBatchSteps = 40, FullBatchEvaluations = 2,
            GainSizes = [100, 200],
        },
        ExperimentScale.Full when Environment.GetEnvironmentVariable(CifarVariable) is { Length: > 0 } folder => new()
        {
            // The paper's setting: ResNet-18 (GroupNorm) on all of CIFAR-10, B = 256, 1000 epochs of 195 steps,
            // η = 1 (the official code's runs used η between 1 and 5); curvature on 1,000 training images.
            Setting = new()
            {
                Data = "cifar10:" + folder, TrainSize = null, TestSize = null, Scaling = PixelScaling.Standardized, Model = "resnet18", BatchSize = 256,
                ProxyBatches = 20, Curvature = new() { Examples = 1000, Probes = 10, LanczosSteps = 10, GuardSteps = 20, Deflation = 10 },
            },
            Init = new()
            {
                FullBatch = new() { LearningRate = 0.1, Momentum = 0.9, BatchSize = 1, MaxSteps = 20_000 },
                Memorize = new() { LearningRate = 0.05, Momentum = 0.9, BatchSize = 128, MaxSteps = 1_000_000 },
                Fit = new() { LearningRate = 0.05, Momentum = 0.9, BatchSize = 128, MaxSteps = 500_000 },
                Polish = new() { LearningRate = 1.0, BatchSize = 256, MaxSteps = 20_000 },
                CheckEvery = 500, MemorizeCheckEvery = 5_000,
            },
            LearningRate = 1.0, Steps = 195_000, Evaluations = 50,
        },
        ExperimentScale.Full => new()
        {
            // 8,000 images, the reference PyTorch run's MLP 784-512-512-10, 100k steps, with the escape gain measured at 1k, 2k, 4k and 8k images.
            Setting = new() { TrainSize = 8000, Model = "mlp:512,512", Curvature = new() { Examples = 1000, Probes = 10, LanczosSteps = 10, GuardSteps = 20, Deflation = 10 } },
            Init = new()
            {
                Fit = new() { LearningRate = 0.005, Momentum = 0.9, BatchSize = 128, MaxSteps = 20_000 },
                Polish = new() { LearningRate = 0.1, BatchSize = 32, MaxSteps = 30_000 },
            },
            Steps = 100_000, Evaluations = 20,
            FullBatchCandidates = LaptopCandidates,
            FullBatchSteps = 50_000, FullBatchEvaluations = 20,
            GainSizes = [1000, 2000, 4000, 8000],
        },
        _ => new() { FullBatchCandidates = LaptopCandidates },
    };

    /// <summary>
    /// The laptop search for a poor full-batch initialization: a small CNN, a narrow MLP, and the escape's own MLP with GD without momentum
    /// (measured with MLP 512-512 in that place: GD 81.2 %, SGD 81.3 %; 256-256 costs less than half as much).
    /// </summary>
    static readonly FullBatchCandidate[] LaptopCandidates =
    [
        new() { TrainSize = 500, Model = "cnn:8", GradientDescent = SearchDescent with { LearningRate = 0.1, MaxSteps = 400 }, SgdSteps = 4_000 },
        new() { TrainSize = 500, Model = "mlp:64", GradientDescent = SearchDescent with { MaxSteps = 600 }, SgdSteps = 4_000 },
        new() { TrainSize = 1000, Model = "mlp:256,256", GradientDescent = SearchDescent with { Momentum = 0, LearningRate = 0.5, MaxSteps = 600 }, SgdSteps = 4_000 },
    ];

    public string Name => "escape";
    public string Title => "Label noise escapes poor global minimizers (Fig. 3, §4)";
    public string Description =>
        "The paper starts SGD at zero-training-error minimizers that generalize poorly — full-batch gradient descent from a random " +
        "initialization, and Liu et al.'s adversarial initialization (memorize 10 copies of the training set with ~10 % of pixels " +
        "zeroed and random labels, then fit the true labels) — and reports that label-flip SGD (p = 0.2) escapes both toward " +
        "flatter minimizers that test as well as the minibatch-SGD baseline, while minibatch SGD stays where it starts. We build " +
        "the adversarial initialization (memorizing only to 90 % and fitting the true labels with small heavy-ball steps, which keeps " +
        "more of the memorized features, then polishing with plain SGD until it stops moving) and run from it: label-noise SGD, plain SGD, " +
        "and the smoothed control (fit the expected flipped label: the same expected loss as label noise, no noise), plus plain SGD from " +
        "random initializations (the baseline). The full-batch initialization is searched for first: full-batch GD to 100 % training " +
        "accuracy on an MLP or CNN at this scale tends to generalize about as well as SGD, and its claims are tested only where the search " +
        "finds a setting in which it does not. We record training and test accuracy of the last iterate and of an averaged iterate " +
        "(moving average of the parameters; label noise keeps the last iterate fluctuating), tr ∇²L and R(θ) of the smoothed loss L " +
        "each with its standard error (the paper plotted tr ∇²L to approximate R), and the official code's cheap proxy tr_G. Curves are " +
        "medians over seeds with min/max bands. Note: a network trained with plain cross entropy to 100 % accuracy is not a minimizer of " +
        "the smoothed L (its logits are far too confident), so both label noise and the control first move toward L's minimum; tr ∇²L at " +
        "step 0 is that of a saturated softmax, and the flattening is measured from the first point after it.";

    public string Generate(ExperimentContext context)
    {
        var config = For(context.Scale);
        config.Validate();
        ExperimentRunner.WriteConfig(context.Folder, new
        {
            config,
            Codes = new { init = "0 = random (baseline), 1 = full-batch, 2 = adversarial", method = "0 = plain SGD, 1 = label noise, 2 = smoothed control" },
        });
        return Run(config, context);
    }

    /// <summary>The key under which momentum may reuse this experiment's adversarial init and runs: everything they depend on.</summary>
    public static string ReuseKey(EscapeSetting setting, InitRecipe init, ulong seed, double emaDecay, double annealFraction, double annealFactor) =>
        System.Text.Json.JsonSerializer.Serialize(new { setting, init, seed, emaDecay, annealFraction, annealFactor });

    public const string ReuseKeyFile = "reuse-key.json";

    RunRecipe Recipe(Config config, EscapeInit init, EscapeMethod method, int seed, int? steps = null, bool measure = true) => new()
    {
        Init = init, Method = method, Seed = seed, LearningRate = config.LearningRate, Steps = steps ?? config.Steps, Evaluations = config.Evaluations,
        EmaDecay = config.EmaDecay, AnnealFraction = config.AnnealFraction, AnnealFactor = config.AnnealFactor, MeasureCurvature = measure,
    };

    string Run(Config config, ExperimentContext context)
    {
        var clock = Stopwatch.StartNew();
        var runs = new EscapeRuns(config.Setting);
        context.Report($"building the adversarial initialization while the other worker runs the full-batch search ({config.FullBatchCandidates.Count} settings) with the runs from its init, and the {config.Seeds} baseline runs");
        // The baseline's curvature is not measured: an untrained network is nowhere near the manifold of minimizers, and at the end it is the paper's dashed line only.
        var baselinePlan = Enumerable.Range(0, config.Seeds).Select(seed => Recipe(config, EscapeInit.Random, EscapeMethod.Sgd, seed, measure: false)).ToArray();
        var jobs = new List<Func<object>>
        {
            () => runs.AdversarialInit(config.Init, context.Seed, context.Cancellation),
            () => RunFullBatch(config, context, clock),
        };
        foreach (var recipe in baselinePlan) jobs.Add(() => runs.Run(recipe, null, context.Seed, cancellation: context.Cancellation));
        var first = ParallelRuns.Map(jobs, job => job(), (_, _, result) => context.Report(result switch
        {
            BuiltInit init => $"adversarial init: {string.Join("; ", init.Phases.Select(Describe))}",
            IReadOnlyList<CurvePoint> points => string.Create(CultureInfo.InvariantCulture, $"baseline run: test {100 * points[^1].TestAccuracy:F1} % ({clock.Elapsed.TotalSeconds:F0} s)"),
            _ => "full-batch part done",
        }), context.Cancellation);
        var adversarial = (BuiltInit)first[0];
        var fullBatch = (FullBatchPart)first[1];
        var baseline = first.Skip(2).Cast<IReadOnlyList<CurvePoint>>().ToArray();
        var search = fullBatch.Search;
        search.Write(Path.Combine(context.Folder, FullBatchSearch.FileName));
        StateVector.Write(Path.Combine(context.Folder, AdversarialInitFile), adversarial.Parameters);
        AtomicFile.WriteAllText(Path.Combine(context.Folder, ReuseKeyFile), ReuseKey(config.Setting, config.Init, context.Seed, config.EmaDecay, config.AnnealFraction, config.AnnealFactor));
        int qualifying = FullBatchSearch.Qualifying(search);
        var inits = new CsvTable("init", "phase", "steps", "accuracy", "test_acc", "seconds");
        foreach (var phase in adversarial.Phases.Concat(fullBatch.Init?.Phases ?? []))
            inits.Add((int)phase.Init, phase.Phase, phase.Steps, phase.Accuracy, phase.TestAccuracy, phase.Seconds);
        inits.Write(Path.Combine(context.Folder, InitsFile));
        double initSeconds = clock.Elapsed.TotalSeconds;

        var plan = new List<RunRecipe>();
        foreach (var method in Methods)
            for (int seed = 0; seed < config.Seeds; seed++)
                plan.Add(Recipe(config, EscapeInit.Adversarial, method, seed));
        int finished = 0;
        var results = ParallelRuns.Map(plan, run => runs.Run(run, adversarial.Parameters, context.Seed, cancellation: context.Cancellation),
            (_, run, points) => context.Report(RunLine($"run {++finished}/{plan.Count}", run, points, clock)), context.Cancellation);
        var curves = EscapeCurves.NewTable();
        for (int k = 0; k < plan.Count; k++) EscapeCurves.Add(curves, plan[k], results[k]);
        for (int k = 0; k < fullBatch.Plan.Length; k++) EscapeCurves.Add(curves, fullBatch.Plan[k], fullBatch.Results[k]);
        for (int k = 0; k < baselinePlan.Length; k++) EscapeCurves.Add(curves, baselinePlan[k], baseline[k]);
        curves.Write(Path.Combine(context.Folder, CurvesFile));
        WriteSummary(context.Folder);
        double runSeconds = clock.Elapsed.TotalSeconds - initSeconds;
        string gain = config.GainSizes.Count > 0 ? " " + RunGain(config, context) : "";

        var s = config.Setting;
        var c = s.Curvature;
        var mem = adversarial.Phases[0];
        var fit = adversarial.Phases[1];
        var polish = adversarial.Phases[2];
        var r = config.Init;
        string fullBatchText = qualifying >= 0
            ? $"Full-batch init: the first qualifying setting of the search ({FullBatchSearch.DescribeRow(search, qualifying)}); label noise and plain SGD run {config.FullBatchSteps:N0} steps from it at η = {FullBatchRunRate(config, qualifying)}. "
            : "Full-batch init: no setting of the search (fullbatch-search.csv) gave one that tests at least " + PoorPoints.ToString(CultureInfo.InvariantCulture) + " points below minibatch SGD, so its claims are not testable at this scale and no runs start from it. ";
        return string.Create(CultureInfo.InvariantCulture,
            $"{s.Data}, {runs.Train.Count:N0} class-balanced training images (test: {runs.Test.Count:N0}), pixels {s.Scaling}; model {s.Model} (ReLU; input → hidden → 10). " +
            $"Adversarial init: {r.AdversarialCopies} copies of the training set with each pixel zeroed with probability {r.ZeroFraction} and uniformly random labels, memorized with " +
            $"η = {r.Memorize.LearningRate}, β = {r.Memorize.Momentum}, B = {r.Memorize.BatchSize} ({mem.Steps:N0} steps, {100 * mem.Accuracy:F1} % of the random labels; target {100 * r.MemorizeTargetAccuracy:F0} %), " +
            $"then SGD on the true labels (η = {r.Fit.LearningRate}, β = {r.Fit.Momentum}, B = {r.Fit.BatchSize}; {fit.Steps:N0} steps to {100 * fit.Accuracy:F2} % training accuracy, test {100 * fit.TestAccuracy:F1} %), " +
            $"then {polish.Steps:N0} polishing steps of plain SGD (η = {r.Polish.LearningRate}, B = {r.Polish.BatchSize}): {Describe(polish)}. {fullBatchText}The adversarial init, alongside the full-batch search and runs and the baseline, took {initSeconds:F0} s. " +
            $"From the adversarial init: label-flip SGD (p = {s.FlipProbability}), plain SGD and the smoothed control; plain SGD from random initializations (baseline); " +
            $"{config.Seeds} seeds each (seeds share their batches across methods), η = {config.LearningRate}{Anneal(config.AnnealFraction, config.AnnealFactor, config.LearningRate)}, B = {s.BatchSize} drawn with replacement, β = 0, {config.Steps:N0} steps ({runSeconds:F0} s), " +
            $"measured at step 0 and {config.Evaluations} more points: accuracies on all training and test images, and the test accuracy of the averaged iterate " +
            $"(exponential moving average of the parameters, decay {config.EmaDecay} per step: time constant {1 / (1 - config.EmaDecay):F0} steps); the verdicts use the last iterate. " +
            $"{CurvatureText(c, runs.CurvatureSet.Count)}; tr_G over {s.ProxyBatches} batches of {s.BatchSize}. Runs {ParallelRuns.Workers} at a time, one libtorch thread each.{gain}");
    }

    /// <summary>The full-batch part: the search table, the first qualifying candidate's init (null: none), and the runs from it with their points.</summary>
    sealed record FullBatchPart(CsvTable Search, BuiltInit? Init, RunRecipe[] Plan, IReadOnlyList<CurvePoint>[] Results);

    /// <summary>
    /// On one worker, while the other builds the adversarial init: the full-batch search, candidate by candidate, then label noise and
    /// plain SGD from the first qualifying candidate's init, run after run (they need nothing from the adversarial init).
    /// </summary>
    FullBatchPart RunFullBatch(Config config, ExperimentContext context, Stopwatch clock)
    {
        var searched = new List<(double[] Row, BuiltInit Init)>();
        for (int i = 0; i < config.FullBatchCandidates.Count; i++)
        {
            searched.Add(FullBatchSearch.Try(i, config.FullBatchCandidates[i], config.Setting, config.Init, config.LearningRate, context.Seed, context.Cancellation));
            context.Report("full-batch search: " + FullBatchSearch.Describe(SearchTable([searched[^1].Row])));
        }
        var search = SearchTable(searched.Select(r => r.Row));
        int qualifying = FullBatchSearch.Qualifying(search);
        if (qualifying < 0) return new(search, null, [], []);
        var runs = new EscapeRuns(FullBatchSearch.SettingOf(config.Setting, config.FullBatchCandidates[qualifying]));
        // Curvature is not measured from the full-batch point (its claims are about test accuracy): the CNN has no exact trace, its probe
        // estimate costs more than the run itself (measured: a 5,000-step label-noise run with 11 measured points took 260 s, without
        // curvature about 55 s), and for plain SGD it was noise around 0 (−8.8 ± 7.9 and 17.9 ± 6.3 at the end of two seeds).
        var plan = new[] { EscapeMethod.LabelNoise, EscapeMethod.Sgd }
            .SelectMany(method => Enumerable.Range(0, config.Seeds).Select(seed =>
                Recipe(config, EscapeInit.FullBatch, method, seed, config.FullBatchSteps, measure: false) with
                {
                    LearningRate = FullBatchRunRate(config, qualifying), Evaluations = config.FullBatchEvaluations,
                }))
            .ToArray();
        var results = new IReadOnlyList<CurvePoint>[plan.Length];
        for (int k = 0; k < plan.Length; k++)
        {
            results[k] = runs.Run(plan[k], searched[qualifying].Init.Parameters, context.Seed, cancellation: context.Cancellation);
            context.Report(RunLine($"full-batch run {k + 1}/{plan.Length}", plan[k], results[k], clock));
        }
        return new(search, searched[qualifying].Init, plan, results);
    }

    /// <summary>A finished run in one progress line.</summary>
    static string RunLine(string label, RunRecipe run, IReadOnlyList<CurvePoint> points, Stopwatch clock)
    {
        string curvature = run.MeasureCurvature
            ? FormattableString.Invariant($"tr ∇²L {points[1].Trace:F1} → {points[^1].Trace:F1} ± {points[^1].TraceStandardError:F1}")
            : "curvature not measured";
        return FormattableString.Invariant(
            $"{label}: {MethodName(run.Method)} from {InitName(run.Init)}, seed {run.Seed}: test {100 * points[0].TestAccuracy:F1} % → {100 * points[^1].TestAccuracy:F1} % (averaged iterate {100 * points[^1].EmaTestAccuracy:F1} %), {curvature} ({clock.Elapsed.TotalSeconds:F0} s)");
    }

    /// <summary>
    /// η of the runs from the full-batch init: at most the η gradient descent reached it with. GD at η ends where λ_max ≈ 2/η (the edge of
    /// stability), so a larger η is unstable there — measured: from the small CNN's GD point (η = 0.1), plain SGD and label noise at
    /// η = 0.2 fell to 10 % test accuracy.
    /// </summary>
    static double FullBatchRunRate(Config config, int candidate) =>
        Math.Min(config.LearningRate, config.FullBatchCandidates[candidate].GradientDescent.LearningRate);

    /// <summary>The annealing of η in words (empty without one).</summary>
    public static string Anneal(double fraction, double factor, double learningRate) => fraction > 0
        ? FormattableString.Invariant($" (× {factor} = {learningRate * factor:G3} for the last {100 * fraction:F0} % of the steps, every method alike; R is measured at the nominal η)")
        : "";

    /// <summary>How the curvature numbers were measured and what that costs, in words.</summary>
    public static string CurvatureText(CurvatureSettings c, int examples) =>
        FormattableString.Invariant($"tr ∇²L and R(θ) of the smoothed loss on the first {examples:N0} training images by ") + (c.Estimator == CurvatureEstimator.Library
            ? FormattableString.Invariant($"the library's estimator: tr ∇²L exactly for a ReLU MLP (tr ∇²L = tr G: the network is linear in each weight, so the second-order term has a zero diagonal; C backward passes, no probes), else adaptively deflated probes; R = tr ∇²L/4 + SLQ on the remainder r(x) − x/4 ({c.LanczosSteps} Lanczos steps a probe, up to {c.Probes} probes, stopping at {100 * EscapeCurvature.TargetRelativeStandardError:F0} % relative SE) after a {c.GuardSteps}-step λ_max guard — at most {c.Products} Hessian-vector products per point")
            : c.Estimator == CurvatureEstimator.SharedDeflatedSlq
            ? FormattableString.Invariant($"deflated stochastic Lanczos quadrature with shared probes: a {c.GuardSteps}-step Lanczos run gives λ_max (R = +∞ guard) and the top {c.Deflation} Ritz vectors, treated exactly; {c.Probes} Rademacher probes projected off them, {c.LanczosSteps} Lanczos steps each, give both numbers (wᵀHw is exact in the quadrature) — {c.Products} Hessian-vector products per point")
            : FormattableString.Invariant($"Hutchinson ({c.Probes} probes) and SLQ ({c.Probes} probes × {c.LanczosSteps} steps, λ_max guard of {c.GuardSteps} steps) — {c.Products} Hessian-vector products per point")) +
        ", each with its standard error over probes";

    static CsvTable SearchTable(IEnumerable<double[]> rows)
    {
        var table = FullBatchSearch.NewTable();
        foreach (var row in rows) table.Add(row);
        return table;
    }

    /// <summary>The escape gain against the training-set size: at each size its own adversarial init, then label noise and plain SGD (no curvature).</summary>
    string RunGain(Config config, ExperimentContext context)
    {
        var clock = Stopwatch.StartNew();
        var sized = config.GainSizes.Select(n => new EscapeRuns(config.Setting with { TrainSize = n })).ToArray();
        context.Report($"escape gain against the training-set size: adversarial inits at n = {string.Join(", ", config.GainSizes)}");
        var inits = ParallelRuns.Map(sized, r => r.AdversarialInit(config.Init, context.Seed, context.Cancellation), cancellation: context.Cancellation);
        var plan = new List<(int Size, RunRecipe Run)>();
        for (int i = 0; i < sized.Length; i++)
            foreach (var method in new[] { EscapeMethod.LabelNoise, EscapeMethod.Sgd })
                for (int seed = 0; seed < config.Seeds; seed++)
                    plan.Add((i, Recipe(config, EscapeInit.Adversarial, method, seed, measure: false) with { Evaluations = 1 }));
        var results = ParallelRuns.Map(plan, p => sized[p.Size].Run(p.Run, inits[p.Size].Parameters, context.Seed, cancellation: context.Cancellation),
            (_, p, points) => context.Report(string.Create(CultureInfo.InvariantCulture,
                $"gain n = {config.GainSizes[p.Size]}: {MethodName(p.Run.Method)}, seed {p.Run.Seed}: test {100 * points[0].TestAccuracy:F1} % → {100 * points[^1].TestAccuracy:F1} % ({clock.Elapsed.TotalSeconds:F0} s)")),
            context.Cancellation);
        var table = new CsvTable("train_size", "method", "seed", "test_acc_initial", "test_acc_final", "ema_test_acc_final");
        for (int k = 0; k < plan.Count; k++)
            table.Add(config.GainSizes[plan[k].Size], (int)plan[k].Run.Method, plan[k].Run.Seed, results[k][0].TestAccuracy, results[k][^1].TestAccuracy, results[k][^1].EmaTestAccuracy);
        table.Write(Path.Combine(context.Folder, GainFile));
        return string.Create(CultureInfo.InvariantCulture,
            $"Escape gain against the training-set size: at n = {string.Join(", ", config.GainSizes)} the same recipe builds an adversarial init, from which label noise and plain SGD run {config.Steps:N0} steps ({config.Seeds} seeds; {clock.Elapsed.TotalSeconds:F0} s).");
    }

    /// <summary>The escape gain per training-set size from gain.csv: label noise − plain SGD at the end (points), per seed.</summary>
    public static IReadOnlyList<(double Size, double[] Gains)> Gains(CsvTable gain) =>
        gain.Column("train_size").Distinct().Order().Select(n =>
        {
            var rows = gain.Where("train_size", n);
            var noise = rows.Where("method", (int)EscapeMethod.LabelNoise);
            var sgd = rows.Where("method", (int)EscapeMethod.Sgd);
            var seeds = noise.Column("seed").Intersect(sgd.Column("seed")).Order().ToArray();
            return (n, seeds.Select(s => 100 * (noise.Where("seed", s)[0, "test_acc_final"] - sgd.Where("seed", s)[0, "test_acc_final"])).ToArray());
        }).ToArray();

    static string Describe(InitPhase phase) => string.Create(CultureInfo.InvariantCulture,
        $"{phase.Steps:N0} steps, {100 * phase.Accuracy:F2} % training accuracy, test {100 * phase.TestAccuracy:F1} %, {phase.Seconds:F0} s");

    public static string InitName(EscapeInit init) => init switch
    {
        EscapeInit.FullBatch => "full-batch",
        EscapeInit.Adversarial => "adversarial",
        _ => "random",
    };

    public static string MethodName(EscapeMethod method) => method switch
    {
        EscapeMethod.LabelNoise => "label-noise",
        EscapeMethod.Smoothed => "smoothed",
        _ => "sgd",
    };

    public static string MethodLabel(EscapeMethod method) => method switch
    {
        EscapeMethod.LabelNoise => "label-noise SGD",
        EscapeMethod.Smoothed => "smoothed control",
        _ => "plain SGD",
    };

    static readonly EscapeMethod[] Methods = [EscapeMethod.LabelNoise, EscapeMethod.Sgd, EscapeMethod.Smoothed];
    static readonly EscapeInit[] PoorInits = [EscapeInit.Adversarial, EscapeInit.FullBatch];

    /// <summary>A column's median, minimum and maximum over seeds at one row.</summary>
    public sealed record Spread(double Median, double Min, double Max)
    {
        public static Spread At(CsvTable[] seeds, string column, int index)
        {
            if (seeds.Length == 0) return new(double.NaN, double.NaN, double.NaN);
            var values = seeds.Select(s => s[index >= 0 ? index : s.RowCount + index, column]).ToArray();
            return new(Vectors.Median(values), values.Min(), values.Max());
        }
    }

    /// <summary>The medians (and min–max) over seeds of one group of runs; TraceFirst is at the first measured step after 0.</summary>
    public sealed record GroupSummary(EscapeInit Init, EscapeMethod Method, int Seeds, Spread TestInitial, Spread TestFinal, Spread EmaFinal,
        Spread TraceFirst, Spread TraceFinal, double TraceStandardErrorFinal, Spread RegularizerFinal, double RegularizerStandardErrorFinal, double TrainInitial, double TrainFinal);

    /// <summary>Every group of runs in a curves table (poor inits × methods, then the baseline): the one place these medians are computed.</summary>
    public static IReadOnlyList<GroupSummary> Summaries(CsvTable curves, double momentum = 0) =>
        PoorInits.SelectMany(i => Methods.Select(m => (Init: i, Method: m))).Append((Init: EscapeInit.Random, Method: EscapeMethod.Sgd))
            .Select(g => (g.Init, g.Method, Seeds: EscapeCurves.Seeds(curves, g.Init, g.Method, momentum)))
            .Where(g => g.Seeds.Length > 0)
            .Select(g => Summarize(g.Init, g.Method, g.Seeds)).ToArray();

    public static GroupSummary Summarize(EscapeInit init, EscapeMethod method, CsvTable[] seeds)
    {
        int first = seeds.Min(s => s.RowCount) > 1 ? 1 : 0;
        return new GroupSummary(init, method, seeds.Length,
            Spread.At(seeds, "test_acc", 0), Spread.At(seeds, "test_acc", -1), Spread.At(seeds, "ema_test_acc", -1),
            Spread.At(seeds, "trace", first), Spread.At(seeds, "trace", -1), Spread.At(seeds, "trace_se", -1).Median,
            Spread.At(seeds, "regularizer", -1), Spread.At(seeds, "regularizer_se", -1).Median,
            Spread.At(seeds, "train_acc", 0).Median, Spread.At(seeds, "train_acc", -1).Median);
    }

    /// <summary>escape-summary.csv from curves.csv: a row per group of <see cref="Summaries"/>.</summary>
    public static void WriteSummary(string folder)
    {
        var table = new CsvTable("init", "method", "seeds", "test_acc_initial", "test_acc_final", "test_acc_final_min", "test_acc_final_max",
            "ema_test_acc_final", "ema_test_acc_final_min", "ema_test_acc_final_max", "trace_initial", "trace_final", "trace_final_min", "trace_final_max", "trace_se_final", "train_acc_final");
        foreach (var g in Summaries(CsvTable.Read(Path.Combine(folder, CurvesFile))))
            table.Add((int)g.Init, (int)g.Method, g.Seeds, g.TestInitial.Median, g.TestFinal.Median, g.TestFinal.Min, g.TestFinal.Max,
                g.EmaFinal.Median, g.EmaFinal.Min, g.EmaFinal.Max, g.TraceFirst.Median, g.TraceFinal.Median, g.TraceFinal.Min, g.TraceFinal.Max, g.TraceStandardErrorFinal, g.TrainFinal);
        table.Write(Path.Combine(folder, SummaryCsvFile));
    }

    /// <summary>
    /// summary.json's headline numbers, from <see cref="Summaries"/>: <c>&lt;init&gt;.&lt;method&gt;.{test_acc_initial, test_acc_final, ema_test_acc_final,
    /// trace_initial, trace_final}</c> for every group that ran (trace_initial: at the first measured step after 0) and <c>baseline.test_acc_final</c>.
    /// </summary>
    public IReadOnlyDictionary<string, double> Values(string folder)
    {
        var values = new Dictionary<string, double>();
        foreach (var g in Summaries(CsvTable.Read(Path.Combine(folder, CurvesFile))))
        {
            if (g.Init == EscapeInit.Random)
            {
                values["baseline.test_acc_final"] = g.TestFinal.Median;
                continue;
            }
            string prefix = $"{InitName(g.Init)}.{MethodName(g.Method)}.";
            values[prefix + "test_acc_initial"] = g.TestInitial.Median;
            values[prefix + "test_acc_final"] = g.TestFinal.Median;
            values[prefix + "ema_test_acc_final"] = g.EmaFinal.Median;
            values[prefix + "trace_initial"] = g.TraceFirst.Median;
            values[prefix + "trace_final"] = g.TraceFinal.Median;
        }
        return values;
    }

    /// <summary>The escape table: per group, test % initial → final (last iterate and averaged), tr ∇²L ± SE at the end; medians and min–max over seeds.</summary>
    public IReadOnlyList<ReportTable> Tables(string folder) => [EscapeTable(Summaries(CsvTable.Read(Path.Combine(folder, CurvesFile))),
        "Escape runs: medians over seeds [min–max]; test accuracy of the last iterate and of the averaged iterate (EMA of the parameters); tr ∇²L of the smoothed loss ± its standard error (median over seeds) at the end.")];

    public static ReportTable EscapeTable(IEnumerable<GroupSummary> groups, string caption, Func<GroupSummary, int, string>? method = null) => new(caption,
        ["init", "method", "seeds", "test % initial", "test % final", "EMA test % final", "tr ∇²L final ± SE", "R final ± SE"],
        groups.Select((g, i) => new[]
        {
            InitName(g.Init), method?.Invoke(g, i) ?? MethodLabel(g.Method), g.Seeds.ToString(CultureInfo.InvariantCulture), Percent(g.TestInitial), Percent(g.TestFinal), Percent(g.EmaFinal),
            WithError(g.TraceFinal, g.TraceStandardErrorFinal), WithError(g.RegularizerFinal, g.RegularizerStandardErrorFinal),
        }).ToArray());

    static string Percent(Spread s) => double.IsNaN(s.Median) ? "—" : s.Min == s.Max
        ? (100 * s.Median).ToString("F1", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{100 * s.Median:F1} [{100 * s.Min:F1}–{100 * s.Max:F1}]");

    static string WithError(Spread s, double error) => double.IsNaN(s.Median) ? "—" : FormattableString.Invariant($"{s.Median:G3} ± {error:G2}")
        + (s.Min == s.Max ? "" : FormattableString.Invariant($" [{s.Min:G3}–{s.Max:G3}]"));

    /// <summary>
    /// Whether every tr ∇²L and R of the given runs after the first measured point has a standard error below
    /// <see cref="ResolvedFraction"/> of its value; the worst ratio found (NaN when there is nothing to check).
    /// </summary>
    public static (bool Resolved, double WorstRatio, int Points) Resolution(IEnumerable<CsvTable> runs)
    {
        double worst = 0;
        int points = 0;
        foreach (var run in runs)
            for (int i = 2; i < run.RowCount; i++)
                foreach (var (value, error) in new[] { ("trace", "trace_se"), ("regularizer", "regularizer_se") })
                {
                    double v = run[i, value], e = run[i, error];
                    if (double.IsPositiveInfinity(v)) continue;
                    double ratio = Math.Abs(v) > 0 ? e / Math.Abs(v) : double.PositiveInfinity;
                    worst = Math.Max(worst, double.IsNaN(ratio) ? double.PositiveInfinity : ratio);
                    points++;
                }
        return (points > 0 && worst < ResolvedFraction, points > 0 ? worst : double.NaN, points);
    }

    public IReadOnlyList<FigureFile> Plot(string folder)
    {
        var curves = CsvTable.Read(Path.Combine(folder, CurvesFile));
        var baseline = EscapeCurves.Seeds(curves, EscapeInit.Random, EscapeMethod.Sgd);
        var figures = new List<FigureFile>();
        foreach (var init in PoorInits)
        {
            var groups = Methods.Select(m => (Method: m, Seeds: EscapeCurves.Seeds(curves, init, m))).Where(g => g.Seeds.Length > 0).ToArray();
            if (groups.Length == 0) continue;
            // The curvature figures show the groups whose curvature was measured (none from the full-batch init).
            var measured = groups.Where(g => g.Seeds.All(s => s.Column("trace").Skip(1).All(double.IsFinite))).ToArray();
            string name = InitName(init), seedsText = $"median of {groups.Max(g => g.Seeds.Length)} seeds, min/max band";
            double lastStep = groups[0].Seeds[0].Column("step")[^1];
            Series? BaselineLevel(string column, double scale)
            {
                if (baseline.Length == 0) return null;
                double level = scale * EscapeCurves.MedianAt(baseline, column, -1);
                return new Series("SGD baseline (random init), final", [0, lastStep], [level, level], Dashed: true);
            }
            List<Series> WithBaseline(IEnumerable<Series> series, string column, double scale)
            {
                var list = series.ToList();
                if (BaselineLevel(column, scale) is { } b) list.Add(b);
                return list;
            }
            var noise = groups.FirstOrDefault(g => g.Method == EscapeMethod.LabelNoise);
            var averaged = noise.Seeds is { Length: > 0 } && noise.Seeds[0].Column("ema_test_acc").All(double.IsFinite)
                ? new[] { EscapeCurves.Line("label-noise SGD, averaged iterate (EMA)", noise.Seeds, "ema_test_acc", 100) with { Dashed = true } }
                : [];

            figures.Add(FigureWriter.Line(folder, $"{name}-train-accuracy", $"Training accuracy from the {name} initialization", "step", "training accuracy (%)",
                WithBaseline(groups.Select(g => EscapeCurves.Line(MethodLabel(g.Method), g.Seeds, "train_acc", 100)), "train_acc", 100),
                $"Fig. 3, left: training accuracy (clean labels) from the {name} initialization; {seedsText}; dashed: final SGD baseline from random initializations."));
            figures.Add(FigureWriter.Line(folder, $"{name}-test-accuracy", $"Test accuracy from the {name} initialization", "step", "test accuracy (%)",
                WithBaseline(groups.Select(g => EscapeCurves.Line(MethodLabel(g.Method), g.Seeds, "test_acc", 100)).Concat(averaged), "test_acc", 100),
                $"Test accuracy from the {name} initialization (last iterates); {seedsText}; dashed: the averaged iterate of label noise, and the final SGD baseline from random initializations."));
            if (measured.Length == 0) continue;
            figures.Add(FigureWriter.Line(folder, $"{name}-trace", $"tr ∇²L from the {name} initialization", "step", "tr ∇²L",
                measured.Select(g => EscapeCurves.Line(MethodLabel(g.Method), g.Seeds, "trace", 1, "trace_se")).ToList(),
                $"Fig. 3, middle: tr ∇²L of the smoothed loss from the {name} initialization; median of seeds; band: min/max over seeds of the estimate ± one standard error."));
            // Step 0 is left out: a saturated-softmax point (or, for the baseline, an untrained network), not a minimizer of L.
            Series Trajectory(string label, CsvTable[] seeds, bool dashed = false)
            {
                var (_, trace, _, _) = EscapeCurves.Band(seeds, "trace");
                var (_, test, _, _) = EscapeCurves.Band(seeds, "test_acc");
                return new Series(label, trace.Skip(1).ToArray(), test.Skip(1).Select(v => 100 * v).ToArray(), Dashed: dashed);
            }
            var scatter = measured.Select(g => Trajectory(MethodLabel(g.Method), g.Seeds)).ToList();
            if (baseline.Length > 0 && baseline[0].Column("trace").Skip(1).All(double.IsFinite)) scatter.Add(Trajectory("SGD baseline (random init)", baseline, dashed: true));
            figures.Add(FigureWriter.Line(folder, $"{name}-test-vs-trace", $"Test accuracy against tr ∇²L ({name} initialization)", "tr ∇²L", "test accuracy (%)", scatter,
                $"Fig. 3, right: test accuracy against tr ∇²L along the runs from the {name} initialization (medians over seeds at each measured step after step 0, in time order)."));
            figures.Add(FigureWriter.Line(folder, $"{name}-regularizer", $"R(θ) from the {name} initialization", "step", "R(θ)",
                measured.Select(g => EscapeCurves.Line(MethodLabel(g.Method), g.Seeds, "regularizer", 1, "regularizer_se")).ToList(),
                $"The implicit regularizer R(θ) = −tr log(1 − η∇²L/2)/(2η) itself, by stochastic Lanczos quadrature, from the {name} initialization; {seedsText} (± one standard error)."));
            figures.Add(FigureWriter.Line(folder, $"{name}-trace-proxy", $"tr_G proxy from the {name} initialization", "step", "tr_G",
                measured.Select(g => EscapeCurves.Line(MethodLabel(g.Method), g.Seeds, "trace_proxy", 1, "trace_proxy_se")).ToList(),
                $"The official code's proxy tr_G = B·(E‖noisy-label gradient‖² − E‖clean gradient‖²) from the {name} initialization; {seedsText} (± one standard error). It equals tr G only at a minimum of the smoothed loss."));
        }
        var gainPath = Path.Combine(folder, GainFile);
        if (File.Exists(gainPath))
        {
            var gains = Gains(CsvTable.Read(gainPath));
            figures.Add(FigureWriter.Line(folder, "gain-vs-size", "Escape gain against the training-set size", "training images", "label noise − plain SGD (test points)",
                [new Series("escape gain (median over seeds, min/max band)", gains.Select(g => g.Size).ToArray(), gains.Select(g => Vectors.Median(g.Gains)).ToArray(),
                    gains.Select(g => g.Gains.Min()).ToArray(), gains.Select(g => g.Gains.Max()).ToArray())],
                "Final test accuracy of label-noise SGD minus plain SGD, both from the adversarial initialization built at each training-set size (same recipe, same steps); median over seeds with min/max band.",
                logX: true, horizontalLines: [(0, "no gain")]));
        }
        return figures;
    }

    public IReadOnlyList<Claim> Evaluate(string folder)
    {
        var curves = CsvTable.Read(Path.Combine(folder, CurvesFile));
        var search = CsvTable.Read(Path.Combine(folder, FullBatchSearch.FileName));
        string P(double fraction) => (100 * fraction).ToString(fraction > 0.99 && fraction < 1 ? "F2" : "F1", CultureInfo.InvariantCulture) + " %";
        string F(double x) => x.ToString("G3", CultureInfo.InvariantCulture);
        string Pts(double x) => x.ToString("+0.0;−0.0", CultureInfo.InvariantCulture);
        var baselineSeeds = EscapeCurves.Seeds(curves, EscapeInit.Random, EscapeMethod.Sgd);
        double baseline = EscapeCurves.MedianAt(baselineSeeds, "test_acc", -1);
        var claims = new List<Claim>();

        var adversarial = Methods.ToDictionary(m => m, m => Summarize(EscapeInit.Adversarial, m, EscapeCurves.Seeds(curves, EscapeInit.Adversarial, m)));
        {
            var noise = adversarial[EscapeMethod.LabelNoise];
            var sgd = adversarial[EscapeMethod.Sgd];
            var smoothed = adversarial[EscapeMethod.Smoothed];
            double start = sgd.TestInitial.Median;
            claims.Add(new Claim("The adversarial initialization is a poor global minimizer: 100 % training accuracy, worse test accuracy than the SGD baseline",
                $"training accuracy {P(sgd.TrainInitial)}, test {P(start)}; SGD baseline from random initializations {P(baseline)} (median of {baselineSeeds.Length})",
                $"training accuracy ≥ {100 * FullTrainAccuracy:F1} % and test accuracy at least {PoorPoints} points below the baseline",
                sgd.TrainInitial >= FullTrainAccuracy && 100 * (baseline - start) >= PoorPoints));

            double gain = 100 * (noise.TestFinal.Median - noise.TestInitial.Median);
            double overSgd = 100 * (noise.TestFinal.Median - sgd.TestFinal.Median);
            string measured = $"label noise: test {P(noise.TestInitial.Median)} → {P(noise.TestFinal.Median)} ({Pts(gain)} points; averaged iterate {P(noise.EmaFinal.Median)}); " +
                $"plain SGD from the same point ends at {P(sgd.TestFinal.Median)} ({Pts(overSgd)} points for label noise); " +
                $"tr ∇²L {F(noise.TraceFirst.Median)} at the first measured step after 0 → {F(noise.TraceFinal.Median)} ± {F(noise.TraceStandardErrorFinal)} at the end (medians of {noise.Seeds} seeds)";
            claims.Add(new Claim("From the adversarial initialization label-noise SGD escapes toward flatter minimizers that generalize better: it ends well above plain SGD from the same point, and tr ∇²L falls",
                measured,
                $"final test accuracy (last iterate) at least {AboveSgdPoints} points above plain SGD's, and the final tr ∇²L below its value at the first measured step after step 0 (step 0 is a saturated-softmax point, not a minimizer of L)",
                overSgd >= AboveSgdPoints && noise.TraceFinal.Median < noise.TraceFirst.Median));
            claims.Add(new Claim("… and the gain is several points of test accuracy (Fig. 3)",
                measured,
                $"test accuracy gain of the last iterate ≥ {EscapeGainPoints} points",
                gain >= EscapeGainPoints));

            double moved = 100 * (sgd.TestFinal.Median - sgd.TestInitial.Median);
            claims.Add(new Claim("Plain minibatch SGD stays at the adversarial initialization",
                $"plain SGD: test {P(sgd.TestInitial.Median)} → {P(sgd.TestFinal.Median)} ({moved:+0.00;−0.00} points), training accuracy {P(sgd.TrainFinal)} at the end",
                $"|change of test accuracy| ≤ {StayPoints} point and training accuracy still ≥ {100 * FullTrainAccuracy:F1} %",
                Math.Abs(moved) <= StayPoints && sgd.TrainFinal >= FullTrainAccuracy));

            claims.Add(new Claim("The noise itself does the work: from the adversarial initialization the smoothed control (same expected loss, no noise) does not improve like label noise and ends sharper",
                $"final test accuracy: smoothed {P(smoothed.TestFinal.Median)}, label noise {P(noise.TestFinal.Median)}; final tr ∇²L: smoothed {F(smoothed.TraceFinal.Median)} ± {F(smoothed.TraceStandardErrorFinal)}, label noise {F(noise.TraceFinal.Median)} ± {F(noise.TraceStandardErrorFinal)}",
                $"the smoothed control ends at least {ControlGapPoints} point below label noise in test accuracy and with a larger tr ∇²L",
                100 * (noise.TestFinal.Median - smoothed.TestFinal.Median) >= ControlGapPoints && smoothed.TraceFinal.Median > noise.TraceFinal.Median));
        }

        int qualifying = FullBatchSearch.Qualifying(search);
        string evidence = search.RowCount == 0 ? "no setting was searched" : "the search: " + FullBatchSearch.Describe(search);
        var fbNoise = EscapeCurves.Seeds(curves, EscapeInit.FullBatch, EscapeMethod.LabelNoise);
        var fbSgd = EscapeCurves.Seeds(curves, EscapeInit.FullBatch, EscapeMethod.Sgd);
        bool testable = qualifying >= 0 && fbNoise.Length > 0 && fbSgd.Length > 0;
        claims.Add(Claim.Conditional("Full-batch gradient descent from a random initialization reaches a poor global minimizer: 100 % training accuracy, worse test accuracy than minibatch SGD (76 % in the paper)",
            evidence,
            $"some searched setting where GD reaches 100 % training accuracy and tests at least {PoorPoints} points below minibatch SGD (otherwise the full-batch claims are not testable at this scale)",
            testable, testable));
        {
            var noise = testable ? Summarize(EscapeInit.FullBatch, EscapeMethod.LabelNoise, fbNoise) : null;
            var sgd = testable ? Summarize(EscapeInit.FullBatch, EscapeMethod.Sgd, fbSgd) : null;
            double reference = testable ? search[qualifying, "sgd_test_acc"] : double.NaN;
            claims.Add(Claim.Conditional("From the full-batch initialization label-noise SGD reaches the SGD baseline",
                testable ? $"label noise: test {P(noise!.TestInitial.Median)} → {P(noise.TestFinal.Median)} (averaged iterate {P(noise.EmaFinal.Median)}); minibatch SGD in that setting {P(reference)}; plain SGD from the same point ends at {P(sgd!.TestFinal.Median)}"
                    : "no poor full-batch initialization at this scale (see the first full-batch row)",
                $"final test accuracy within {BaselinePoints} point of the setting's minibatch-SGD accuracy or above it",
                testable, testable && 100 * (reference - noise!.TestFinal.Median) <= BaselinePoints));
            double moved = testable ? 100 * (sgd!.TestFinal.Median - sgd.TestInitial.Median) : double.NaN;
            claims.Add(Claim.Conditional("Plain minibatch SGD stays at the full-batch initialization",
                testable ? $"plain SGD: test {P(sgd!.TestInitial.Median)} → {P(sgd.TestFinal.Median)} ({moved:+0.00;−0.00} points), training accuracy {P(sgd.TrainFinal)} at the end"
                    : "no poor full-batch initialization at this scale (see the first full-batch row)",
                $"|change of test accuracy| ≤ {StayPoints} point and training accuracy still ≥ {100 * FullTrainAccuracy:F1} %",
                testable, testable && Math.Abs(moved) <= StayPoints && sgd!.TrainFinal >= FullTrainAccuracy));
        }

        var onManifold = new[] { EscapeMethod.LabelNoise, EscapeMethod.Smoothed }.SelectMany(m => EscapeCurves.Seeds(curves, EscapeInit.Adversarial, m)).ToArray();
        var (resolved, worst, points) = Resolution(onManifold);
        claims.Add(new Claim("(Measurement) The curvature numbers shown are resolved: tr ∇²L and R of the label-noise and smoothed runs have a standard error below 10 % of their value at every measured point after the first",
            $"{points} numbers checked over {onManifold.Length} runs; the largest standard error is {100 * worst:F1} % of its value",
            $"standard error < {100 * ResolvedFraction:F0} % of the value everywhere after the first measured point (step 0 is a saturated-softmax point off the manifold of L's minimizers)",
            resolved));
        return claims;
    }
}
