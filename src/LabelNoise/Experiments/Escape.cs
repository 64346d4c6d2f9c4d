using System.Diagnostics;
using System.Globalization;
using LabelNoise.Reporting;

namespace LabelNoise.Experiments;

/// <summary>
/// Fig. 3 (§4): label-noise SGD escapes poor zero-loss initializations (full-batch GD; Liu et al.'s adversarial
/// one) toward flatter minimizers that generalize better, while plain SGD stays, and the smoothed control (the
/// same expected loss without the noise) does not do what label noise does.
/// </summary>
public sealed class Escape : IExperiment
{
    /// <param name="LearningRate">η of every escape run (plain SGD, label noise, smoothed control, baseline).</param>
    /// <param name="Steps">Steps of every run.</param>
    /// <param name="Evaluations">Measured points after step 0, equally spaced.</param>
    /// <param name="Seeds">Seeds per (initialization, method); the inits themselves are built once.</param>
    public sealed record Config(EscapeSetting Setting, InitRecipe Init, double LearningRate, int Steps, int Evaluations, int Seeds)
    {
        public void Validate()
        {
            Setting.Validate();
            Init.Validate();
            if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "η must be positive");
            if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "at least one step");
            if (Evaluations < 1 || Evaluations > Steps) throw new ArgumentOutOfRangeException(nameof(Evaluations), Evaluations, "between 1 and the number of steps");
            if (Seeds < 1) throw new ArgumentOutOfRangeException(nameof(Seeds), Seeds, "at least one seed");
        }
    }

    /// <summary>The environment variable naming a CIFAR-10 folder (binary version) for the full-scale run.</summary>
    public const string CifarVariable = "LABELNOISE_CIFAR10";

    public const string CurvesFile = "curves.csv";
    public const string InitsFile = "inits.csv";
    public const string SummaryCsvFile = "escape-summary.csv";

    /// <summary>Points of test accuracy (absolute, in %) label noise must gain over the adversarial initialization.</summary>
    public const double EscapeGainPoints = 2;

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

    public static Config For(ExperimentScale scale) => scale switch
    {
        ExperimentScale.Tiny => new(
            new EscapeSetting("fashion-mnist", 200, 200, "mlp:16", 0.2, 32, 50, 2, 2, 3, 2),
            new InitRecipe(0.2, 0.9, 300, 10, 0.1, 0.05, 0.9, 128, 0.9, 200, 0.1, 0, 32, 600, 0.1, 100, 50, 100),
            0.1, 100, 2, 3),
        ExperimentScale.Full when Environment.GetEnvironmentVariable(CifarVariable) is { Length: > 0 } folder => new(
            // The paper's setting: ResNet-18 (GroupNorm) on all of CIFAR-10, B = 256, 1000 epochs of 195 steps,
            // η = 1 (the official code's runs used η between 1 and 5); curvature on 1,000 training images.
            new EscapeSetting("cifar10:" + folder, null, null, "resnet18", 0.2, 256, 1000, 20, 4, 20, 50),
            new InitRecipe(0.1, 0.9, 20_000, 10, 0.1, 0.05, 0.9, 128, 0.9, 1_000_000, 0.1, 0, 256, 500_000, 1.0, 20_000, 500, 5_000),
            1.0, 195_000, 50, 3),
        ExperimentScale.Full => new(
            // Without CIFAR-10: the laptop recipe with the widths and run lengths of the reference PyTorch run.
            new EscapeSetting("fashion-mnist", 4000, 10000, "mlp:512,512", 0.2, 32, 1000, 20, 4, 20, 50),
            new InitRecipe(0.2, 0.9, 5_000, 10, 0.1, 0.05, 0.9, 128, 0.9, 200_000, 0.1, 0, 32, 100_000, 0.1, 30_000, 100, 2_500),
            0.1, 100_000, 20, 3),
        // Laptop: about 12 minutes on 2 cores (two runs at a time, one libtorch thread each), most of it in the 21 runs.
        // 1,000 images: memorizing 10 random-label copies to 99 % takes a minute, and the init tests ~3 points below SGD.
        _ => new(
            new EscapeSetting("fashion-mnist", 1000, 10000, "mlp:512,512", 0.2, 32, 500, 10, 2, 8, 20),
            new InitRecipe(0.2, 0.9, 2_000, 10, 0.1, 0.05, 0.9, 128, 0.99, 20_000, 0.1, 0, 32, 20_000, 0.1, 10_000, 100, 1_000),
            0.1, 30_000, 5, 3),
    };

    public string Name => "escape";
    public string Title => "Label noise escapes poor global minimizers (Fig. 3, §4)";
    public string Description =>
        "The paper starts SGD at zero-training-error minimizers that generalize poorly — full-batch gradient descent from a random " +
        "initialization, and Liu et al.'s adversarial initialization (memorize 10 copies of the training set with ~10 % of pixels " +
        "zeroed and random labels, then fit the true labels) — and reports that label-flip SGD (p = 0.2) escapes both toward " +
        "flatter minimizers that test as well as the minibatch-SGD baseline, while minibatch SGD stays where it starts. We build " +
        "both initializations, polish the adversarial one with plain SGD until it stops moving, and run from each: label-noise SGD, " +
        "plain SGD, and the smoothed control (fit the expected flipped label: the same expected loss as label noise, no noise), " +
        "plus plain SGD from random initializations (the baseline). We record training and test accuracy, tr ∇²L of the smoothed " +
        "loss L (Hutchinson on the first training images, with its standard error; the paper plotted tr ∇²L to approximate R), " +
        "R(θ) itself by stochastic Lanczos quadrature, and the official code's cheap proxy tr_G. Curves are medians over seeds with " +
        "min/max bands. Note: a network trained with plain cross entropy to 100 % accuracy is not a minimizer of the smoothed L " +
        "(its logits are far too confident), so both label noise and the control first move toward L's minimum; tr ∇²L at step 0 " +
        "is that of a saturated softmax and is small.";

    public string Generate(ExperimentContext context)
    {
        var config = For(context.Scale);
        config.Validate();
        ExperimentRunner.WriteConfig(context.Folder, new
        {
            config.Setting,
            config.Init,
            config.LearningRate,
            config.Steps,
            config.Evaluations,
            config.Seeds,
            Codes = new { init = "0 = random (baseline), 1 = full-batch, 2 = adversarial", method = "0 = plain SGD, 1 = label noise, 2 = smoothed control" },
        });
        return Run(config, context);
    }

    static string Run(Config config, ExperimentContext context)
    {
        var clock = Stopwatch.StartNew();
        var runs = new EscapeRuns(config.Setting);
        context.Report($"building the two initializations ({ParallelRuns.Workers} at a time): full-batch gradient descent to 100 % training accuracy, and memorizing random labels then fitting the true ones");
        var built = ParallelRuns.Map<Func<BuiltInit>, BuiltInit>(
            [() => runs.FullBatchInit(config.Init, context.Seed, context.Cancellation), () => runs.AdversarialInit(config.Init, context.Seed, context.Cancellation)],
            build => build(),
            (_, _, init) => context.Report($"{InitName(init.Init)} init: {string.Join("; ", init.Phases.Select(Describe))}"),
            context.Cancellation);
        var (fullBatch, adversarial) = (built[0], built[1]);
        var inits = new CsvTable("init", "phase", "steps", "accuracy", "test_acc", "seconds");
        foreach (var phase in fullBatch.Phases.Concat(adversarial.Phases))
            inits.Add((int)phase.Init, phase.Phase, phase.Steps, phase.Accuracy, phase.TestAccuracy, phase.Seconds);
        inits.Write(Path.Combine(context.Folder, InitsFile));
        double initSeconds = clock.Elapsed.TotalSeconds;

        var plan = new List<(RunRecipe Run, double[]? Start)>();
        foreach (var init in new[] { adversarial, fullBatch })
            foreach (var method in new[] { EscapeMethod.LabelNoise, EscapeMethod.Sgd, EscapeMethod.Smoothed })
                for (int seed = 0; seed < config.Seeds; seed++)
                    plan.Add((new RunRecipe(init.Init, method, seed, config.LearningRate, 0, config.Steps, config.Evaluations), init.Parameters));
        for (int seed = 0; seed < config.Seeds; seed++)
            plan.Add((new RunRecipe(EscapeInit.Random, EscapeMethod.Sgd, seed, config.LearningRate, 0, config.Steps, config.Evaluations), null));

        int finished = 0;
        var results = ParallelRuns.Map(plan, p => runs.Run(p.Run, p.Start, context.Seed, cancellation: context.Cancellation),
            (_, p, points) => context.Report(string.Create(CultureInfo.InvariantCulture,
                $"run {++finished}/{plan.Count}: {MethodName(p.Run.Method)} from {InitName(p.Run.Init)}, seed {p.Run.Seed}: test {100 * points[0].TestAccuracy:F1} % → {100 * points[^1].TestAccuracy:F1} %, tr ∇²L {points[0].Trace:F1} → {points[^1].Trace:F1} ({clock.Elapsed.TotalSeconds:F0} s)")),
            context.Cancellation);
        var curves = EscapeCurves.NewTable();
        for (int k = 0; k < plan.Count; k++) EscapeCurves.Add(curves, plan[k].Run, results[k]);
        curves.Write(Path.Combine(context.Folder, CurvesFile));
        WriteSummary(context.Folder);

        var s = config.Setting;
        var fb = fullBatch.Phases[0];
        var mem = adversarial.Phases[0];
        var fit = adversarial.Phases[1];
        var polish = adversarial.Phases[2];
        var r = config.Init;
        return string.Create(CultureInfo.InvariantCulture,
            $"{s.Data}, {runs.Train.Count:N0} class-balanced training images (test: {runs.Test.Count:N0}); model {s.Model} (ReLU; input → hidden → 10). " +
            $"Full-batch init: gradient descent with heavy-ball momentum (η = {r.FullBatchLearningRate}, β = {r.FullBatchMomentum}) from a random initialization: {Describe(fb)}. " +
            $"Adversarial init: {r.AdversarialCopies} copies of the training set with each pixel zeroed with probability {r.ZeroFraction} and uniformly random labels, memorized with " +
            $"η = {r.MemorizeLearningRate}, β = {r.MemorizeMomentum}, B = {r.MemorizeBatchSize} ({mem.Steps:N0} steps, {100 * mem.Accuracy:F1} % of the random labels; target {100 * r.MemorizeTargetAccuracy:F0} %), " +
            $"then SGD on the true labels (η = {r.FitLearningRate}, β = {r.FitMomentum}, B = {r.FitBatchSize}; {fit.Steps:N0} steps to {100 * fit.Accuracy:F2} % training accuracy, test {100 * fit.TestAccuracy:F1} %), " +
            $"then {polish.Steps:N0} polishing steps of plain SGD (η = {r.PolishLearningRate}, B = {s.BatchSize}): {Describe(polish)}. Inits took {initSeconds:F0} s. " +
            $"From each init: label-flip SGD (p = {s.FlipProbability}), plain SGD and the smoothed control, and plain SGD from random initializations (baseline); " +
            $"{config.Seeds} seeds each (seeds share their batches across methods), η = {config.LearningRate}, B = {s.BatchSize} drawn with replacement, β = 0, {config.Steps:N0} steps, " +
            $"measured at step 0 and {config.Evaluations} more points: accuracies on all training and test images; tr ∇²L of the smoothed loss (p = {s.FlipProbability}) by Hutchinson " +
            $"({s.TraceProbes} Rademacher probes on the first {runs.CurvatureSet.Count:N0} training images); R(θ) at the run's η by SLQ ({s.RegularizerProbes} probes × {s.LanczosSteps} Lanczos steps, λ_max-guarded); " +
            $"tr_G over {s.ProxyBatches} batches of {s.BatchSize}. Runs {ParallelRuns.Workers} at a time, one libtorch thread each.{ScaleNote(config)}");
    }

    static string ScaleNote(Config config) => config.Steps < 50_000
        ? " Scale note: these runs are short — the reference PyTorch run (MLP 784-512-512-10, 4,000 images) needed 50–100k steps for label noise to climb from 74.7 % to 81–82 %; --full runs 100k steps on 4,000 images."
        : "";

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

    static string MethodLabel(EscapeMethod method) => method switch
    {
        EscapeMethod.LabelNoise => "label-noise SGD",
        EscapeMethod.Smoothed => "smoothed control",
        _ => "plain SGD",
    };

    static readonly EscapeMethod[] Methods = [EscapeMethod.LabelNoise, EscapeMethod.Sgd, EscapeMethod.Smoothed];
    static readonly EscapeInit[] PoorInits = [EscapeInit.Adversarial, EscapeInit.FullBatch];

    /// <summary>The medians over seeds of one group of runs at step 0 and at the last step.</summary>
    sealed record GroupSummary(EscapeInit Init, EscapeMethod Method, int Seeds, double TestInitial, double TestFinal, double TraceInitial, double TraceFinal, double TrainFinal);

    /// <summary>Every (poor init, method) group that was run, then the baseline: the one place these medians are computed.</summary>
    static IEnumerable<GroupSummary> Summaries(CsvTable curves) =>
        PoorInits.SelectMany(i => Methods.Select(m => (Init: i, Method: m))).Append((Init: EscapeInit.Random, Method: EscapeMethod.Sgd))
            .Select(g => (g.Init, g.Method, Seeds: EscapeCurves.Seeds(curves, g.Init, g.Method)))
            .Where(g => g.Seeds.Length > 0)
            .Select(g => new GroupSummary(g.Init, g.Method, g.Seeds.Length,
                EscapeCurves.MedianAt(g.Seeds, "test_acc", 0), EscapeCurves.MedianAt(g.Seeds, "test_acc", -1),
                EscapeCurves.MedianAt(g.Seeds, "trace", 0), EscapeCurves.MedianAt(g.Seeds, "trace", -1), EscapeCurves.MedianAt(g.Seeds, "train_acc", -1)));

    /// <summary>escape-summary.csv from curves.csv: a row per group of <see cref="Summaries"/>.</summary>
    public static void WriteSummary(string folder)
    {
        var table = new CsvTable("init", "method", "seeds", "test_acc_initial", "test_acc_final", "trace_initial", "trace_final", "train_acc_final");
        foreach (var g in Summaries(CsvTable.Read(Path.Combine(folder, CurvesFile))))
            table.Add((int)g.Init, (int)g.Method, g.Seeds, g.TestInitial, g.TestFinal, g.TraceInitial, g.TraceFinal, g.TrainFinal);
        table.Write(Path.Combine(folder, SummaryCsvFile));
    }

    /// <summary>
    /// summary.json's headline numbers, from <see cref="Summaries"/>: <c>&lt;init&gt;.&lt;method&gt;.{test_acc_initial, test_acc_final,
    /// trace_initial, trace_final}</c> (init ∈ {full-batch, adversarial}, method ∈ {label-noise, sgd, smoothed}) and <c>baseline.test_acc_final</c>.
    /// </summary>
    public IReadOnlyDictionary<string, double> Values(string folder)
    {
        var values = new Dictionary<string, double>();
        foreach (var g in Summaries(CsvTable.Read(Path.Combine(folder, CurvesFile))))
        {
            if (g.Init == EscapeInit.Random)
            {
                values["baseline.test_acc_final"] = g.TestFinal;
                continue;
            }
            string prefix = $"{InitName(g.Init)}.{MethodName(g.Method)}.";
            values[prefix + "test_acc_initial"] = g.TestInitial;
            values[prefix + "test_acc_final"] = g.TestFinal;
            values[prefix + "trace_initial"] = g.TraceInitial;
            values[prefix + "trace_final"] = g.TraceFinal;
        }
        return values;
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
            string name = InitName(init), seedsText = $"median of {groups.Max(g => g.Seeds.Length)} seeds, min/max band";

            Series Line(EscapeMethod method, CsvTable[] seeds, string column, double scale = 1, string? errorColumn = null)
            {
                var (steps, median, min, max) = EscapeCurves.Band(seeds, column,
                    errorColumn is null ? null : (s, i) => s[i, column] - Finite(s[i, errorColumn]),
                    errorColumn is null ? null : (s, i) => s[i, column] + Finite(s[i, errorColumn]));
                return new Series(MethodLabel(method), steps, median.Select(v => scale * v).ToArray(),
                    min.Select(v => scale * v).ToArray(), max.Select(v => scale * v).ToArray());
            }
            Series? BaselineLevel(string column, double scale)
            {
                if (baseline.Length == 0) return null;
                var steps = groups[0].Seeds[0].Column("step");
                double level = scale * EscapeCurves.MedianAt(baseline, column, -1);
                return new Series("SGD baseline (random init), final", [steps[0], steps[^1]], [level, level], Dashed: true);
            }
            List<Series> WithBaseline(IEnumerable<Series> series, string column, double scale)
            {
                var list = series.ToList();
                if (BaselineLevel(column, scale) is { } b) list.Add(b);
                return list;
            }

            figures.Add(FigureWriter.Line(folder, $"{name}-train-accuracy", $"Training accuracy from the {name} initialization", "step", "training accuracy (%)",
                WithBaseline(groups.Select(g => Line(g.Method, g.Seeds, "train_acc", 100)), "train_acc", 100),
                $"Fig. 3, left: training accuracy (clean labels) from the {name} initialization; {seedsText}; dashed: final SGD baseline from random initializations."));
            figures.Add(FigureWriter.Line(folder, $"{name}-test-accuracy", $"Test accuracy from the {name} initialization", "step", "test accuracy (%)",
                WithBaseline(groups.Select(g => Line(g.Method, g.Seeds, "test_acc", 100)), "test_acc", 100),
                $"Test accuracy from the {name} initialization; {seedsText}; dashed: final SGD baseline from random initializations."));
            figures.Add(FigureWriter.Line(folder, $"{name}-trace", $"tr ∇²L from the {name} initialization", "step", "tr ∇²L",
                groups.Select(g => Line(g.Method, g.Seeds, "trace", 1, "trace_se")).ToList(),
                $"Fig. 3, middle: tr ∇²L of the smoothed loss (Hutchinson) from the {name} initialization; median of seeds; band: min/max over seeds of the estimate ± one standard error."));
            // Step 0 is left out: a saturated-softmax point (or, for the baseline, an untrained network), not a minimizer of L.
            Series Trajectory(string label, CsvTable[] seeds, bool dashed = false)
            {
                var (_, trace, _, _) = EscapeCurves.Band(seeds, "trace");
                var (_, test, _, _) = EscapeCurves.Band(seeds, "test_acc");
                return new Series(label, trace.Skip(1).ToArray(), test.Skip(1).Select(v => 100 * v).ToArray(), Dashed: dashed);
            }
            var scatter = groups.Select(g => Trajectory(MethodLabel(g.Method), g.Seeds)).ToList();
            if (baseline.Length > 0) scatter.Add(Trajectory("SGD baseline (random init)", baseline, dashed: true));
            figures.Add(FigureWriter.Line(folder, $"{name}-test-vs-trace", $"Test accuracy against tr ∇²L ({name} initialization)", "tr ∇²L", "test accuracy (%)", scatter,
                $"Fig. 3, right: test accuracy against tr ∇²L along the runs from the {name} initialization (medians over seeds at each measured step after step 0, in time order)."));
            figures.Add(FigureWriter.Line(folder, $"{name}-regularizer", $"R(θ) from the {name} initialization", "step", "R(θ)",
                groups.Select(g => Line(g.Method, g.Seeds, "regularizer", 1, "regularizer_se")).ToList(),
                $"The implicit regularizer R(θ) = −tr log(1 − η∇²L/2)/(2η) itself, by stochastic Lanczos quadrature, from the {name} initialization; {seedsText} (± one standard error)."));
            figures.Add(FigureWriter.Line(folder, $"{name}-trace-proxy", $"tr_G proxy from the {name} initialization", "step", "tr_G",
                groups.Select(g => Line(g.Method, g.Seeds, "trace_proxy", 1, "trace_proxy_se")).ToList(),
                $"The official code's proxy tr_G = B·(E‖noisy-label gradient‖² − E‖clean gradient‖²) from the {name} initialization; {seedsText} (± one standard error). It equals tr G only at a minimum of the smoothed loss."));
        }
        return figures;
    }

    static double Finite(double x) => double.IsFinite(x) ? x : 0;

    public IReadOnlyList<Claim> Evaluate(string folder)
    {
        var curves = CsvTable.Read(Path.Combine(folder, CurvesFile));
        string P(double fraction) => (100 * fraction).ToString(fraction > 0.99 && fraction < 1 ? "F2" : "F1", CultureInfo.InvariantCulture) + " %";
        string F(double x) => x.ToString("G3", CultureInfo.InvariantCulture);
        var baselineSeeds = EscapeCurves.Seeds(curves, EscapeInit.Random, EscapeMethod.Sgd);
        double baseline = EscapeCurves.MedianAt(baselineSeeds, "test_acc", -1);

        (double TestStart, double TestEnd, double TrainStart, double TrainEnd, double TraceFirst, double TraceEnd, int Seeds) Of(EscapeInit init, EscapeMethod method)
        {
            var seeds = EscapeCurves.Seeds(curves, init, method);
            int first = seeds.Length > 0 && seeds.Min(s => s.RowCount) > 1 ? 1 : 0;
            return (EscapeCurves.MedianAt(seeds, "test_acc", 0), EscapeCurves.MedianAt(seeds, "test_acc", -1),
                EscapeCurves.MedianAt(seeds, "train_acc", 0), EscapeCurves.MedianAt(seeds, "train_acc", -1),
                EscapeCurves.MedianAt(seeds, "trace", first), EscapeCurves.MedianAt(seeds, "trace", -1), seeds.Length);
        }

        var claims = new List<Claim>();
        foreach (var init in PoorInits)
        {
            string name = InitName(init);
            var noise = Of(init, EscapeMethod.LabelNoise);
            var sgd = Of(init, EscapeMethod.Sgd);
            var smoothed = Of(init, EscapeMethod.Smoothed);
            if (noise.Seeds == 0 || sgd.Seeds == 0) continue;
            double start = sgd.TestStart;

            claims.Add(new Claim($"The {name} initialization is a poor global minimizer: 100 % training accuracy, worse test accuracy than the SGD baseline",
                $"training accuracy {P(sgd.TrainStart)}, test {P(start)}; SGD baseline from random initializations {P(baseline)} (median of {baselineSeeds.Length})",
                $"training accuracy ≥ {100 * FullTrainAccuracy:F1} % and test accuracy at least {PoorPoints} points below the baseline",
                sgd.TrainStart >= FullTrainAccuracy && 100 * (baseline - start) >= PoorPoints));

            if (init == EscapeInit.Adversarial)
            {
                double gain = 100 * (noise.TestEnd - noise.TestStart);
                string measured = $"label noise: test {P(noise.TestStart)} → {P(noise.TestEnd)} ({gain:+0.0;−0.0} points); plain SGD ends at {P(sgd.TestEnd)}; " +
                    $"tr ∇²L {F(noise.TraceFirst)} at the first measured step after 0 → {F(noise.TraceEnd)} at the end (medians of {noise.Seeds} seeds)";
                claims.Add(new Claim("From the adversarial initialization label-noise SGD escapes toward flatter minimizers that generalize better: its test accuracy rises, ends above plain SGD from the same point, and tr ∇²L falls",
                    measured,
                    "test accuracy gain > 0, final test accuracy above plain SGD's, and the final tr ∇²L below its value at the first measured step after step 0 (step 0 is a saturated-softmax point, not a minimizer of L)",
                    gain > 0 && noise.TestEnd > sgd.TestEnd && noise.TraceEnd < noise.TraceFirst));
                claims.Add(new Claim("… and the gain is several points of test accuracy (Fig. 3)",
                    measured,
                    $"test accuracy gain ≥ {EscapeGainPoints} points",
                    gain >= EscapeGainPoints));
            }
            else
            {
                claims.Add(new Claim("From the full-batch initialization label-noise SGD reaches the SGD baseline",
                    $"label noise: test {P(noise.TestStart)} → {P(noise.TestEnd)}; baseline {P(baseline)}; plain SGD from the same point ends at {P(sgd.TestEnd)}",
                    $"final test accuracy within {BaselinePoints} point of the baseline or above it",
                    100 * (baseline - noise.TestEnd) <= BaselinePoints));
            }

            double moved = 100 * (sgd.TestEnd - sgd.TestStart);
            claims.Add(new Claim($"Plain minibatch SGD stays at the {name} initialization",
                $"plain SGD: test {P(sgd.TestStart)} → {P(sgd.TestEnd)} ({moved:+0.00;−0.00} points), training accuracy {P(sgd.TrainEnd)} at the end",
                $"|change of test accuracy| ≤ {StayPoints} point and training accuracy still ≥ {100 * FullTrainAccuracy:F1} %",
                Math.Abs(moved) <= StayPoints && sgd.TrainEnd >= FullTrainAccuracy));

            if (smoothed.Seeds > 0)
                claims.Add(new Claim($"The noise itself does the work: from the {name} initialization the smoothed control (same expected loss, no noise) does not improve like label noise and ends sharper",
                    $"final test accuracy: smoothed {P(smoothed.TestEnd)}, label noise {P(noise.TestEnd)}; final tr ∇²L: smoothed {F(smoothed.TraceEnd)}, label noise {F(noise.TraceEnd)}",
                    $"the smoothed control ends at least {ControlGapPoints} point below label noise in test accuracy and with a larger tr ∇²L",
                    100 * (noise.TestEnd - smoothed.TestEnd) >= ControlGapPoints && smoothed.TraceEnd > noise.TraceEnd));
        }
        return claims;
    }
}
