using System.Diagnostics;
using System.Globalization;
using LabelNoise.Curvature;
using LabelNoise.Figures;
using LabelNoise.Files;

namespace LabelNoise.Experiments;

/// <summary>
/// Beyond the paper: the escape gain (label noise − plain SGD, both from the adversarial initialization) against the training-set size.
/// At each size the escape experiment's recipe builds its own adversarial init, and label noise and plain SGD run the escape's steps from it.
/// Not part of the default suite (it takes longer than the rest together): <c>labelnoise reproduce escape-gain</c>.
/// </summary>
public sealed class EscapeGain : IExperiment
{
    public const string ExperimentName = "escape-gain";

    public const string GainFile = "gain.csv";

    public const string InitsFile = "gain-inits.csv";

    public static readonly string[] Columns = ["train_size", "method", "seed", "test_acc_initial", "test_acc_final", "ema_test_acc_final", "train_acc_final"];

    public string Name => ExperimentName;

    public bool RunsByDefault => false;

    public string Title => "The escape gain against the training-set size (beyond the paper)";

    public string Description =>
        "Fig. 3 shows label noise escaping an adversarial initialization at one training-set size. Here the escape experiment's recipe " +
        "builds an adversarial initialization at several sizes (memorize 10 zeroed random-label copies to 90 %, fit the true labels, polish), " +
        "and label-noise SGD and plain SGD run the escape's steps from each, with the same seeds (shared batches). The gain is label noise's " +
        "final test accuracy minus plain SGD's, seed by seed. The steps are the same at every size: label noise's drift toward flat minimizers " +
        "is a per-step process (its speed is set by η, B and p, and R is a mean over examples), so equal steps give every size the " +
        "same regularization time. No other tool reports this figure.";

    public string Generate(ExperimentContext context)
    {
        var config = EscapeConfig.For(context.Scale);
        config.Validate();
        if (config.GainSizes.Count < 2) throw new ArgumentException("the escape gain needs at least two training-set sizes");
        ExperimentRunner.WriteConfig(context.Folder, new
        {
            config.Setting, config.Init, config.GainSizes, config.Seeds, config.Steps, config.LearningRate, config.EmaDecay, config.AnnealFraction, config.AnnealFactor,
            Codes = new { method = "0 = plain SGD, 1 = label noise" },
        });
        var clock = Stopwatch.StartNew();
        var sized = config.GainSizes.Select(n => new EscapeRuns(config.Setting with { TrainSize = n })).ToArray();
        context.Report($"adversarial inits at n = {string.Join(", ", config.GainSizes)} ({ParallelRuns.Workers} at a time)");
        var inits = ParallelRuns.Map(sized, r => r.AdversarialInit(RecipeAt(config, r.Train.Count), context.Seed, context.Cancellation),
            (_, r, init) => context.Report(string.Create(CultureInfo.InvariantCulture,
                $"n = {r.Train.Count:N0}: adversarial init tests {100 * init.Phases[^1].TestAccuracy:F1} % ({clock.Elapsed.TotalSeconds:F0} s)")),
            context.Cancellation);
        var initTable = new CsvTable(["train_size", .. InitPhase.Columns]);
        for (int i = 0; i < sized.Length; i++)
            foreach (var phase in inits[i].Phases) initTable.Add([config.GainSizes[i], .. phase.Row()]);
        initTable.Write(Path.Combine(context.Folder, InitsFile));
        double initSeconds = clock.Elapsed.TotalSeconds;

        var plan = new List<(int Size, RunRecipe Run)>();
        for (int i = 0; i < sized.Length; i++)
            foreach (var method in new[] { EscapeMethod.LabelNoise, EscapeMethod.Sgd })
                for (int seed = 0; seed < config.Seeds; seed++)
                    plan.Add((i, new RunRecipe
                    {
                        Init = EscapeInit.Adversarial, Method = method, Seed = seed, LearningRate = config.LearningRate, Steps = config.Steps, Evaluations = 1,
                        EmaDecay = config.EmaDecay, AnnealFraction = config.AnnealFraction, AnnealFactor = config.AnnealFactor, MeasureCurvature = false,
                    }));
        int finished = 0;
        var results = ParallelRuns.Map(plan, p => sized[p.Size].Run(p.Run, inits[p.Size].Parameters, context.Seed, cancellation: context.Cancellation),
            (_, p, points) => context.Report(string.Create(CultureInfo.InvariantCulture,
                $"run {++finished}/{plan.Count}: n = {config.GainSizes[p.Size]:N0}, {p.Run.Method.Name()}, seed {p.Run.Seed}: test {100 * points[0].TestAccuracy:F1} % → {100 * points[^1].TestAccuracy:F1} % ({clock.Elapsed.TotalSeconds:F0} s)")),
            context.Cancellation);
        var table = new CsvTable(Columns);
        for (int k = 0; k < plan.Count; k++)
            table.Add(config.GainSizes[plan[k].Size], (int)plan[k].Run.Method, plan[k].Run.Seed, results[k][0].TestAccuracy, results[k][^1].TestAccuracy,
                results[k][^1].EmaTestAccuracy, results[k][^1].TrainAccuracy);
        table.Write(Path.Combine(context.Folder, GainFile));
        var s = config.Setting;
        return string.Create(CultureInfo.InvariantCulture,
            $"{s.Data}, class-balanced training sets of {string.Join(", ", config.GainSizes.Select(n => n.ToString("N0", CultureInfo.InvariantCulture)))} images (test: {sized[0].Test.Count:N0}); model {s.Model}. " +
            $"At each size the escape experiment's adversarial recipe (its memorization cap scaled with the size; {initSeconds:F0} s for all inits), then label-flip SGD (p = {s.FlipProbability}) and plain SGD, " +
            $"{config.Seeds} seeds each (a seed's batches shared by both methods), η = {config.LearningRate}{Escape.Anneal(config.AnnealFraction, config.AnnealFactor, config.LearningRate)}, B = {s.BatchSize} drawn with replacement, " +
            $"{config.Steps:N0} steps at every size ({clock.Elapsed.TotalSeconds - initSeconds:F0} s). Runs {ParallelRuns.Workers} at a time, one libtorch thread each.");
    }

    /// <summary>
    /// The escape recipe at <paramref name="trainSize"/> examples: memorizing 10 copies of a larger set takes proportionally more steps,
    /// so the memorization cap grows with the size beyond the escape's own (a cap, not a schedule: memorization stops at its target).
    /// </summary>
    public static InitRecipe RecipeAt(EscapeConfig config, int trainSize)
    {
        int reference = config.Setting.TrainSize ?? trainSize;
        if (trainSize <= reference) return config.Init;
        long steps = (long)config.Init.Memorize.MaxSteps * trainSize / reference;
        return config.Init with { Memorize = config.Init.Memorize with { MaxSteps = (int)Math.Min(int.MaxValue, steps) } };
    }

    /// <summary>
    /// One size's gains, seed by seed (label noise − plain SGD, final test accuracy, in points), its groups' medians, and the training
    /// accuracy of the adversarial init built there: a size whose init does not fit its training set is not a test of the claim.
    /// </summary>
    public sealed record SizeGain(double Size, double[] Gains, double InitialTest, double NoiseFinal, double SgdFinal, double NoiseTrainFinal, double InitTrain)
    {
        /// <summary>The init at this size is a global minimizer (100 % training accuracy, as Fig. 3's), so the size tests the claim.</summary>
        public bool Valid => InitTrain >= EscapeClaims.FullTrainAccuracy;
    }

    /// <summary>gain.csv and gain-inits.csv per training-set size, in increasing size; the seeds paired by number.</summary>
    public static IReadOnlyList<SizeGain> Gains(string folder)
    {
        var gain = CsvTable.Read(Path.Combine(folder, GainFile));
        var inits = CsvTable.Read(Path.Combine(folder, InitsFile));
        return gain.Column("train_size").Distinct().Order().Select(n =>
        {
            var rows = gain.Where("train_size", n);
            var phases = inits.Where("train_size", n);
            var noise = rows.Where("method", (int)EscapeMethod.LabelNoise);
            var sgd = rows.Where("method", (int)EscapeMethod.Sgd);
            var seeds = noise.Column("seed").Intersect(sgd.Column("seed")).Order().ToArray();
            return new SizeGain(n,
                seeds.Select(s => 100 * (noise.Where("seed", s)[0, "test_acc_final"] - sgd.Where("seed", s)[0, "test_acc_final"])).ToArray(),
                Vectors.Median(rows.Column("test_acc_initial")), Vectors.Median(noise.Column("test_acc_final")), Vectors.Median(sgd.Column("test_acc_final")),
                Vectors.Median(noise.Column("train_acc_final")), phases[phases.RowCount - 1, "accuracy"]);
        }).ToArray();
    }

    /// <summary>The trend: least-squares line of every seed's gain (points) on log₂ of the training-set size, i.e. the change per doubling (pass the valid sizes).</summary>
    public static LineFit Trend(IReadOnlyList<SizeGain> gains) => LineFit.Of(
        gains.SelectMany(g => g.Gains.Select(_ => Math.Log2(g.Size))).ToArray(), gains.SelectMany(g => g.Gains).ToArray());

    /// <summary>The gain "shrinks" when its slope per doubling is below zero by more than this many standard errors.</summary>
    public const double TrendStandardErrors = 2;

    public IReadOnlyList<FigureFile> Plot(string folder)
    {
        var gains = Gains(folder);
        var valid = gains.Where(g => g.Valid).ToArray();
        var excluded = gains.Where(g => !g.Valid).ToArray();
        int seeds = gains.Max(g => g.Gains.Length);
        Series GainSeries(string label, SizeGain[] sizes, bool bars) => new(label, sizes.Select(g => g.Size).ToArray(), sizes.Select(g => Vectors.Median(g.Gains)).ToArray(),
            sizes.Select(g => g.Gains.Min()).ToArray(), sizes.Select(g => g.Gains.Max()).ToArray(), MarkersOnly: !bars, ErrorBars: true);
        var gainSeries = new List<Series> { GainSeries($"escape gain: median of {seeds} seeds, bar from min to max", valid, true) };
        if (excluded.Length > 0) gainSeries.Add(GainSeries("where the init does not fit its training set (not a test; excluded)", excluded, false));
        var sizes = gains.Select(g => g.Size).ToArray();
        return
        [
            FigureWriter.Line(folder, "gain-vs-size", "Escape gain against the training-set size", "training images", "label noise − plain SGD (test points)",
                gainSeries,
                $"Final test accuracy of label-noise SGD minus plain SGD, both from the adversarial initialization built at each training-set size (same recipe, same steps, same seeds); median of {seeds} seeds, bars from the smallest to the largest seed's gain. Sizes where the recipe did not reach a zero-training-error init are drawn apart. Dotted: no gain, and the {EscapeClaims.AboveSgdPoints}-point criterion.",
                logX: true, horizontalLines: [(0, "no gain"), (EscapeClaims.AboveSgdPoints, $"criterion: {EscapeClaims.AboveSgdPoints} points")]),
            FigureWriter.Line(folder, "accuracy-vs-size", "Test accuracy against the training-set size", "training images", "test accuracy (%)",
                [
                    new Series("adversarial init", sizes, gains.Select(g => 100 * g.InitialTest).ToArray(), MarkersOnly: true),
                    new Series("plain SGD from it, final (median)", sizes, gains.Select(g => 100 * g.SgdFinal).ToArray()),
                    new Series("label-noise SGD from it, final (median)", sizes, gains.Select(g => 100 * g.NoiseFinal).ToArray()),
                ],
                "Test accuracy of the adversarial initialization built at each size, and of plain SGD and label-noise SGD at the end of their runs from it (medians over seeds).",
                logX: true),
        ];
    }

    public IReadOnlyList<Claim> Evaluate(string folder)
    {
        var gains = Gains(folder);
        var valid = gains.Where(g => g.Valid).ToArray();
        string F(double x) => x.ToString("F1", CultureInfo.InvariantCulture);
        string N(double n) => n.ToString("N0", CultureInfo.InvariantCulture);
        string Describe(SizeGain g) => $"n = {N(g.Size)}: {F(Vectors.Median(g.Gains))} [{F(g.Gains.Min())} to {F(g.Gains.Max())}] points ({F(100 * g.InitialTest)} % → plain SGD {F(100 * g.SgdFinal)} %, label noise {F(100 * g.NoiseFinal)} %)";
        string excludedText = gains.Any(g => !g.Valid)
            ? "; excluded, the init not fitting its training set: " + string.Join("; ", gains.Where(g => !g.Valid).Select(g => $"n = {N(g.Size)} (init {100 * g.InitTrain:F2} % training accuracy; gain {F(Vectors.Median(g.Gains))})"))
            : "";
        bool testable = valid.Length >= 2;
        double smallest = testable ? valid.Min(g => Vectors.Median(g.Gains)) : double.NaN;
        int meeting = valid.Sum(g => g.Gains.Count(x => x >= EscapeClaims.AboveSgdPoints)), all = valid.Sum(g => g.Gains.Length);
        var trend = Trend(valid);
        double z = trend.Slope / trend.SlopeStandardError;
        string fits = $"the adversarial init fits its training set (≥ {100 * EscapeClaims.FullTrainAccuracy:F1} % training accuracy)";
        return
        [
            Claim.Conditional("Label noise escapes the adversarial initialization at every training-set size: it ends well above plain SGD from the same point (Fig. 3, at each size)",
                $"gain (label noise − plain SGD, final test accuracy): {string.Join("; ", valid.Select(Describe))}{excludedText}",
                $"at every size where {fits}, a median gain of at least {EscapeClaims.AboveSgdPoints} points, and every seed on its own at least {EscapeClaims.AboveSgdPoints} points",
                testable, smallest >= EscapeClaims.AboveSgdPoints && meeting == all) with
            {
                Margin = testable ? Margin.Join(Margin.AtLeast(smallest, EscapeClaims.AboveSgdPoints, " points (smallest median)", "F1"), Margin.Seeds(meeting, all)) : "",
            },
            Claim.Conditional("(Beyond the paper) The escape gain does not shrink as the training set grows",
                testable
                    ? string.Create(CultureInfo.InvariantCulture, $"least-squares slope of every seed's gain on log₂ n over the sizes {string.Join(", ", valid.Select(g => N(g.Size)))}: {trend.Slope:+0.00;−0.00} ± {trend.SlopeStandardError:F2} points per doubling of n ({all} gains): {(Math.Abs(z) >= TrendStandardErrors ? (trend.Slope > 0 ? "the gain grows with n" : "the gain shrinks with n") : "no trend resolved")} ({z:+0.0;−0.0} standard errors){excludedText}")
                    : $"fewer than two sizes where {fits}{excludedText}",
                $"the slope per doubling of n is not below zero by more than {TrendStandardErrors} standard errors (slope/SE ≥ −{TrendStandardErrors}), over the sizes where {fits}",
                testable, z >= -TrendStandardErrors) with
            {
                Margin = testable ? Margin.AtLeast(z, -TrendStandardErrors, " SE", "F1") : "",
            },
        ];
    }

    public IReadOnlyList<ReportTable> Tables(string folder)
    {
        var gains = Gains(folder);
        string F(double x) => x.ToString("F1", CultureInfo.InvariantCulture);
        return
        [
            new ReportTable("Escape gain per training-set size: training and test accuracy (%) of the adversarial init, and at the end test accuracy of plain SGD and label noise from it and label noise's training accuracy (medians over seeds); the gain seed by seed. A size whose init does not fit its training set is not a test of the claims.",
                ["n", "init train", "init test", "plain SGD final", "label noise final", "label noise train final", "gain (points): median", "per seed"],
                gains.Select(g => new[]
                {
                    g.Size.ToString("N0", CultureInfo.InvariantCulture), F(100 * g.InitTrain), F(100 * g.InitialTest), F(100 * g.SgdFinal), F(100 * g.NoiseFinal), F(100 * g.NoiseTrainFinal),
                    F(Vectors.Median(g.Gains)), string.Join(", ", g.Gains.Select(F)),
                }).ToArray()),
        ];
    }
}
