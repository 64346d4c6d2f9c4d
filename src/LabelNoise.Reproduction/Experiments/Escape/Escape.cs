using System.Diagnostics;
using System.Globalization;
using LabelNoise.Curvature;
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
    /// <summary>The experiment's name, which is also its results folder's.</summary>
    public const string ExperimentName = "escape";

    public string Name => ExperimentName;

    public string Title => "Label noise escapes poor global minimizers (Fig. 3, §4)";

    public string Description =>
        "The paper starts SGD at zero-training-error minimizers that generalize poorly — full-batch gradient descent from a random " +
        "initialization, and Liu et al.'s adversarial initialization (memorize 10 copies of the training set with ~10 % of pixels " +
        "zeroed and random labels, then fit the true labels) — and reports that label-flip SGD (p = 0.2) escapes both toward " +
        "flatter minimizers that test as well as the minibatch-SGD baseline, while minibatch SGD stays where it starts. We build " +
        "the adversarial initialization (memorizing only to 90 % and fitting the true labels with small heavy-ball steps, which keeps " +
        "more of the memorized features, then polishing with plain SGD until it stops moving) and run from it: label-noise SGD, plain SGD, " +
        "and the smoothed control (fit the expected flipped label: the same expected loss as label noise, no noise), plus plain SGD from " +
        "random initializations (the baseline). The full-batch initialization is searched for first: full-batch GD, run until it has converged (its training " +
        "loss under a stated threshold and its parameters no longer moving), tends to generalize about as well as SGD on an MLP or CNN at this scale, and its claims are tested only where the search " +
        "finds a setting in which it does not. We record training and test accuracy of the last iterate and of an averaged iterate " +
        "(moving average of the parameters; label noise keeps the last iterate fluctuating), tr ∇²L and R(θ) of the smoothed loss L " +
        "each with its standard error (the paper plotted tr ∇²L to approximate R), and the official code's cheap proxy tr_G. Curves are " +
        "medians over seeds with min/max bands. Note: a network trained with plain cross entropy to 100 % accuracy is not a minimizer of " +
        "the smoothed L (its logits are far too confident), so both label noise and the control first move toward L's minimum; tr ∇²L at " +
        "step 0 is that of a saturated softmax, and the flattening is measured from the first point after it.";

    public IReadOnlyList<FigureFile> Plot(string folder) => EscapeFigures.Plot(folder);

    public IReadOnlyList<Claim> Evaluate(string folder) => EscapeClaims.Evaluate(folder);

    public IReadOnlyDictionary<string, double> Values(string folder) => EscapeSummary.Values(folder);

    public IReadOnlyList<ReportTable> Tables(string folder) => EscapeSummary.Tables(folder);

    public string Generate(ExperimentContext context)
    {
        var config = EscapeConfig.For(context.Scale);
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

    RunRecipe Recipe(EscapeConfig config, EscapeInit init, EscapeMethod method, int seed, int? steps = null, bool measure = true) => new()
    {
        Init = init, Method = method, Seed = seed, LearningRate = config.LearningRate, Steps = steps ?? config.Steps, Evaluations = config.Evaluations,
        EmaDecay = config.EmaDecay, AnnealFraction = config.AnnealFraction, AnnealFactor = config.AnnealFactor, MeasureCurvature = measure,
        CurvatureEvery = config.CurvatureEvery,
    };

    string Run(EscapeConfig config, ExperimentContext context)
    {
        var clock = Stopwatch.StartNew();
        var runs = new EscapeRuns(config.Setting);
        context.Report($"building the adversarial initialization while the other worker runs the full-batch search ({config.FullBatchCandidates.Count} settings), then the {config.Seeds} baseline runs");
        // The baseline's curvature is not measured: an untrained network is nowhere near the manifold of minimizers, and at the end it is the paper's dashed line only.
        var baselinePlan = Enumerable.Range(0, config.Seeds).Select(seed => Recipe(config, EscapeInit.Random, EscapeMethod.Sgd, seed, measure: false)).ToArray();
        var jobs = new List<Func<object>>
        {
            () => runs.AdversarialInit(config.Init, context.Seed, context.Cancellation),
            () => Search(config, context),
        };
        foreach (var recipe in baselinePlan) jobs.Add(() => runs.Run(recipe, null, context.Seed, cancellation: context.Cancellation));
        var first = ParallelRuns.Map(jobs, job => job(), (_, _, result) => context.Report(result switch
        {
            BuiltInit init => $"adversarial init: {string.Join("; ", init.Phases.Select(Describe))}",
            IReadOnlyList<CurvePoint> points => string.Create(CultureInfo.InvariantCulture, $"baseline run: test {100 * points[^1].TestAccuracy:F1} % ({clock.Elapsed.TotalSeconds:F0} s)"),
            _ => "full-batch search done",
        }), context.Cancellation);
        var adversarial = (BuiltInit)first[0];
        var (search, fullBatchInit) = ((CsvTable, BuiltInit?))first[1];
        var baseline = first.Skip(2).Cast<IReadOnlyList<CurvePoint>>().ToArray();
        search.Write(Path.Combine(context.Folder, FullBatchSearch.FileName));
        StateVector.Write(Path.Combine(context.Folder, EscapeConfig.AdversarialInitFile), adversarial.Parameters);
        AtomicFile.WriteAllText(Path.Combine(context.Folder, ReuseKeyFile), ReuseKey(config.Setting, config.Init, context.Seed, config.EmaDecay, config.AnnealFraction, config.AnnealFactor));
        int qualifying = FullBatchSearch.Qualifying(search);
        InitPhase.Table(adversarial.Phases.Concat(fullBatchInit?.Phases ?? [])).Write(Path.Combine(context.Folder, EscapeConfig.InitsFile));
        double initSeconds = clock.Elapsed.TotalSeconds;

        // Both workers then share every run from the two poor inits: the adversarial ones (longest: they measure curvature) first, then
        // label noise and plain SGD from the first qualifying full-batch init. Curvature is not measured from the full-batch point (its
        // claims are about test accuracy; the CNN has no exact trace and its probe estimate costs more than the run itself).
        var plan = new List<(EscapeRuns Runs, RunRecipe Run, double[] Start)>();
        foreach (var method in EscapeMethods.All)
            for (int seed = 0; seed < config.Seeds; seed++)
                plan.Add((runs, Recipe(config, EscapeInit.Adversarial, method, seed), adversarial.Parameters));
        if (qualifying >= 0)
        {
            var fullBatchRuns = new EscapeRuns(FullBatchSearch.SettingOf(config.Setting, config.FullBatchCandidates[qualifying]));
            foreach (var method in new[] { EscapeMethod.LabelNoise, EscapeMethod.Sgd })
                for (int seed = 0; seed < config.Seeds; seed++)
                    plan.Add((fullBatchRuns, Recipe(config, EscapeInit.FullBatch, method, seed, config.FullBatchSteps, measure: false) with
                    {
                        LearningRate = FullBatchRunRate(config, qualifying), Evaluations = config.FullBatchEvaluations,
                    }, fullBatchInit!.Parameters));
        }
        int finished = 0;
        var results = ParallelRuns.Map(plan, p => p.Runs.Run(p.Run, p.Start, context.Seed, cancellation: context.Cancellation),
            (_, p, points) => context.Report(RunLine($"run {++finished}/{plan.Count}", p.Run, points, clock)), context.Cancellation);
        var curves = EscapeCurves.NewTable();
        for (int k = 0; k < plan.Count; k++) EscapeCurves.Add(curves, plan[k].Run, results[k]);
        for (int k = 0; k < baselinePlan.Length; k++) EscapeCurves.Add(curves, baselinePlan[k], baseline[k]);
        curves.Write(Path.Combine(context.Folder, EscapeConfig.CurvesFile));
        EscapeSummary.WriteSummary(context.Folder);
        double runSeconds = clock.Elapsed.TotalSeconds - initSeconds;

        var s = config.Setting;
        var c = s.Curvature;
        var mem = adversarial.Phases[0];
        var fit = adversarial.Phases[1];
        var polish = adversarial.Phases[2];
        var r = config.Init;
        string convergence = string.Create(CultureInfo.InvariantCulture,
            $"Full-batch GD runs until the clean training loss is ≤ {r.MinimizerLoss:G2} and the parameters moved by ≤ {r.MinimizerMovement:G2} of their norm over the last {r.CheckEvery} steps. ");
        string fullBatchText = convergence + (qualifying >= 0
            ? $"Full-batch init: the first qualifying setting of the search ({FullBatchSearch.DescribeRow(search, qualifying)}); label noise and plain SGD run {config.FullBatchSteps:N0} steps from it at η = {FullBatchRunRate(config, qualifying)}. "
            : "Full-batch init: no setting of the search (fullbatch-search.csv) gave one that tests at least " + FullBatchSearch.PoorPoints.ToString(CultureInfo.InvariantCulture) + " points below minibatch SGD, so its claims are not testable at this scale and no runs start from it. ");
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
            $"Curvature at step 0 and at {config.Evaluations / config.CurvatureEvery} of those points, equally spaced (the others: accuracies only). " +
            $"{CurvatureText(c, runs.CurvatureSet.Count)}; tr_G over {s.ProxyBatches} batches of {s.BatchSize}. Runs {ParallelRuns.Workers} at a time, one libtorch thread each.");
    }

    /// <summary>
    /// On one worker, while the other builds the adversarial init: the full-batch search, candidate by candidate until one qualifies;
    /// the table and that candidate's init (null: none qualified).
    /// </summary>
    static (CsvTable Search, BuiltInit? Init) Search(EscapeConfig config, ExperimentContext context)
    {
        var table = FullBatchSearch.NewTable();
        var inits = new List<BuiltInit>();
        for (int i = 0; i < config.FullBatchCandidates.Count; i++)
        {
            var (row, init) = FullBatchSearch.Try(i, config.FullBatchCandidates[i], config.Setting, config.Init, config.LearningRate, context.Seed, context.Cancellation);
            table.Add(row);
            inits.Add(init);
            context.Report("full-batch search: " + FullBatchSearch.DescribeRow(table, i));
            if (FullBatchSearch.Qualifying(table) == i) break; // the claims run here; the settings after it would cost time and change nothing
        }
        int qualifying = FullBatchSearch.Qualifying(table);
        return (table, qualifying >= 0 ? inits[qualifying] : null);
    }

    /// <summary>A finished run in one progress line.</summary>
    static string RunLine(string label, RunRecipe run, IReadOnlyList<CurvePoint> points, Stopwatch clock)
    {
        string curvature = run.MeasureCurvature
            ? FormattableString.Invariant($"tr ∇²L {points.Skip(1).First(p => !double.IsNaN(p.Trace)).Trace:F1} → ") + Uncertain.Format(points[^1].Trace, points[^1].TraceStandardError, "F1", "F1")
            : "curvature not measured";
        return FormattableString.Invariant(
            $"{label}: {run.Method.Name()} from {run.Init.Name()}, seed {run.Seed}: test {100 * points[0].TestAccuracy:F1} % → {100 * points[^1].TestAccuracy:F1} % (averaged iterate {100 * points[^1].EmaTestAccuracy:F1} %), {curvature} ({clock.Elapsed.TotalSeconds:F0} s)");
    }

    /// <summary>
    /// η of the runs from the full-batch init: at most the η gradient descent reached it with. GD at η ends where λ_max ≈ 2/η (the edge of
    /// stability), so a larger η is unstable there (both methods fell to chance accuracy from the small CNN's GD point at twice its η).
    /// </summary>
    static double FullBatchRunRate(EscapeConfig config, int candidate) =>
        Math.Min(config.LearningRate, config.FullBatchCandidates[candidate].GradientDescent.LearningRate);

    /// <summary>The annealing of η in words (empty without one).</summary>
    public static string Anneal(double fraction, double factor, double learningRate) => fraction > 0
        ? FormattableString.Invariant($" (× {factor} = {learningRate * factor:G3} for the last {100 * fraction:F0} % of the steps, every method alike; R is measured at the nominal η)")
        : "";

    /// <summary>How the curvature numbers were measured and what that costs, in words.</summary>
    public static string CurvatureText(CurvatureSettings c, int examples) =>
        FormattableString.Invariant($"tr ∇²L and R(θ) of the smoothed loss on the first {examples:N0} training images by the library's estimator: tr ∇²L exactly for a ReLU MLP (tr ∇²L = tr G: the network is linear in each weight, so the second-order term has a zero diagonal; C backward passes, no probes), else adaptively deflated probes; R = tr ∇²L/4 + SLQ on the remainder r(x) − x/4 ({c.LanczosSteps} Lanczos steps a probe, up to {c.Probes} probes, stopping at {100 * CurvatureSettings.TargetRelativeStandardError:F0} % relative SE) after a {c.GuardSteps}-step λ_max guard — at most {c.Products} Hessian-vector products per point") +
        ", each with its standard error over probes";

    static string Describe(InitPhase phase) => string.Create(CultureInfo.InvariantCulture,
        $"{phase.Steps:N0} steps, {100 * phase.Accuracy:F2} % training accuracy, test {100 * phase.TestAccuracy:F1} %, {phase.Seconds:F0} s");
}
