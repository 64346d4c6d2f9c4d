using System.Globalization;
using LabelNoise.Curvature;
using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Noise;
using LabelNoise.Objectives;
using LabelNoise.Theory;
using LabelNoise.Training;
using LabelNoise.Figures;
using LabelNoise.Files;

namespace LabelNoise.Experiments;

/// <summary>
/// HaoChen et al.'s sparse recovery (the paper's §1 and §6 motivating example): the quadratically
/// parametrized model f(x) = ⟨u⊙u − v⊙v, x⟩ on d = 100, n = 40 noiseless examples of an r = 5 sparse w*.
/// Label-noise SGD (±σ and Gaussian) recovers w*; full-batch gradient descent from the same start
/// converges to a dense interpolator; plain minibatch SGD ends in between. Every run is recorded, a
/// diverged one included (its last row holds +∞ errors).
/// </summary>
public sealed class SparseRecovery : IExperiment
{
    /// <summary>The four training methods; the CSV's <c>method</c> column holds these codes.</summary>
    public enum Method
    {
        /// <summary>Label-noise SGD with εᵢ uniform on {−σ, +σ} (Algorithm 1).</summary>
        LabelNoisePlusMinus = 0,

        /// <summary>Label-noise SGD with εᵢ ~ N(0, σ²) (HaoChen et al.'s noise).</summary>
        LabelNoiseGaussian = 1,

        /// <summary>Minibatch SGD on the clean labels.</summary>
        Sgd = 2,

        /// <summary>Full-batch gradient descent (deterministic: one run).</summary>
        GradientDescent = 3,
    }

    /// <summary>The experiment's setting. The defaults are the laptop scale, which is HaoChen et al.'s setting.</summary>
    /// <remarks>
    /// <see cref="LearningRate"/> 0.005 on our per-sample loss ½(f − y)² is exactly HaoChen et al.'s lr 0.01 on
    /// ¼(f − y)²: both take the step θ −= 0.005·(f − ỹ)∇f. At η = 0.01 on ½(f − y)² batch-1 SGD from u = 1 is
    /// unstable (η‖∇fᵢ‖² ≈ 0.01·4‖xᵢ‖² ≈ 4 > 2 at the start): with data seed 0, 3 of run seeds 1–5 diverged
    /// within 35 steps, both with and without label noise. At η = 0.005 none of them diverged.
    /// </remarks>
    public sealed record Config
    {
        public int Features { get; init; } = 100;
        public int Examples { get; init; } = 40;
        public int Support { get; init; } = 5;

        /// <summary>Seeds of the stochastic methods (batches and noise); the data set is the same for all.</summary>
        public int Seeds { get; init; } = 5;

        public int Steps { get; init; } = 300_000;
        public double LearningRate { get; init; } = 0.005;

        /// <summary>Steps at which η is multiplied by <see cref="DecayFactor"/> (HaoChen et al.: ÷10 at 100k and 200k).</summary>
        public long[] DecaySteps { get; init; } = [100_000, 200_000];

        public double DecayFactor { get; init; } = 0.1;
        public double NoiseStdDev { get; init; } = 1;
        public int BatchSize { get; init; } = 1;
        public int RecordEvery { get; init; } = 2_000;

        /// <summary>R(θ) costs a dense eigendecomposition (2d × 2d, ~40 ms at d = 100): it is evaluated only every this many steps.</summary>
        public int RegularizerEvery { get; init; } = 25_000;

        /// <summary>A run whose batch loss exceeds this (or is not finite) has diverged; it stops and is recorded as such.</summary>
        public double DivergenceLoss { get; init; } = 1e12;

        /// <summary>Recovered means a recovery error below this fraction of ‖w*‖² = r.</summary>
        public double RecoveryFraction { get; init; } = 0.01;
    }

    public static Config For(ExperimentScale scale) => scale switch
    {
        ExperimentScale.Tiny => new Config
        {
            // d = 40 keeps batch-1 SGD stable at η = 0.01 (η·4‖xᵢ‖² ≈ 1.6 < 2 at the start).
            Features = 40, Examples = 16, Support = 2, Seeds = 2, Steps = 60_000, LearningRate = 0.01,
            DecaySteps = [40_000, 50_000], RecordEvery = 2_000, RegularizerEvery = 20_000,
        },
        ExperimentScale.Laptop => new Config(),
        ExperimentScale.Full => new Config { Seeds = 10, RecordEvery = 1_000, RegularizerEvery = 10_000 },
        _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, "unknown scale"),
    };

    public const string DataFile = "trajectory.csv";
    public const string SettingFile = "setting.csv";
    static readonly string[] Columns = ["method", "seed", "step", "recovery_error", "train_loss", "regularizer"];

    public static string Label(Method method) => method switch
    {
        Method.LabelNoisePlusMinus => "label noise ±σ",
        Method.LabelNoiseGaussian => "label noise N(0, σ²)",
        Method.Sgd => "SGD, no label noise",
        Method.GradientDescent => "gradient descent",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown method"),
    };

    public string Name => "sparse-recovery";
    public string Title => "Sparse recovery with a quadratically parametrized model (HaoChen et al.; §1, §6)";
    public string Description =>
        "The paper's motivating example (HaoChen et al. 2020): for f(x) = ⟨u⊙u − v⊙v, x⟩ with more features than examples, " +
        "the global minimizers form a manifold; R(θ) ≈ ¼ tr ∇²L = Σⱼ (uⱼ² + vⱼ²)·(1/n)Σᵢ xᵢⱼ² favours the sparse ones, so label-noise " +
        "SGD should find the sparse ground truth w*, while gradient descent from the same start stays at a dense interpolator. " +
        "We train all methods from u = 1, v = 0 and record the recovery error ‖u⊙u − v⊙v − w*‖², the training loss and the exact " +
        "R(θ) (from the Hessian's eigenvalues, with the η of the current phase; +∞ where η·λ_max ≥ 2, which the figure omits). " +
        "CSV method codes: 0 = label noise ±σ, 1 = label noise N(0, σ²), 2 = SGD without label noise, 3 = gradient descent. " +
        "A diverged run is kept: its last row has recovery error +∞.";

    public string Generate(ExperimentContext context)
    {
        var config = For(context.Scale);
        ExperimentRunner.WriteConfig(context.Folder, config);
        var data = (RegressionDataset)SparseRegressionGenerator.Generate(config.Features, config.Examples, config.Support, context.Seed, testSize: 0).Train;
        var truth = SparseRegressionGenerator.GroundTruth(config.Features, config.Support);
        var table = new CsvTable(Columns);
        var runs = new List<(Method Method, ulong Seed)>();
        foreach (var method in new[] { Method.LabelNoisePlusMinus, Method.LabelNoiseGaussian, Method.Sgd })
            for (int s = 0; s < config.Seeds; s++) runs.Add((method, RunSeed(context.Seed, s)));
        runs.Add((Method.GradientDescent, RunSeed(context.Seed, 0)));

        int diverged = 0;
        for (int k = 0; k < runs.Count; k++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var (method, seed) = runs[k];
            context.Report(method == Method.GradientDescent ? $"run {k + 1}/{runs.Count}: {Label(method)} (deterministic)" : $"run {k + 1}/{runs.Count}: {Label(method)}, seed {seed}");
            var outcome = Train(method, seed, config, data, truth, table);
            if (outcome.DivergedAt is long step)
            {
                diverged++;
                context.Report($"run {k + 1}/{runs.Count}: {Label(method)}, seed {seed} DIVERGED at step {step}");
            }
        }
        table.Write(Path.Combine(context.Folder, DataFile));
        var setting = new CsvTable("features", "examples", "support", "steps", "recovery_fraction");
        setting.Add(config.Features, config.Examples, config.Support, config.Steps, config.RecoveryFraction);
        setting.Write(Path.Combine(context.Folder, SettingFile));

        string F(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
        string schedule = config.DecaySteps.Length == 0 ? "constant"
            : $"× {F(config.DecayFactor)} at steps {string.Join(" and ", config.DecaySteps.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))}";
        return $"quadratic model ⟨u⊙u − v⊙v, x⟩, d = {config.Features}, n = {config.Examples}, r = {config.Support} (x ~ N(0, I), y = ⟨w*, x⟩ " +
            $"without noise, data seed {context.Seed}), start u = 1, v = 0, loss ½(f − y)². Every method takes {config.Steps:N0} steps at " +
            $"η = {F(config.LearningRate)} {schedule} (HaoChen et al.'s schedule; η = {F(config.LearningRate)} on ½(f − y)² is their lr " +
            $"{F(2 * config.LearningRate)} on ¼(f − y)²). Label noise: σ = {F(config.NoiseStdDev)} (±σ and N(0, σ²)), batch B = {config.BatchSize} " +
            $"drawn with replacement; SGD without label noise uses the same batches; gradient descent uses all n examples. " +
            $"{config.Seeds} seeds ({RunSeed(context.Seed, 0)}–{RunSeed(context.Seed, config.Seeds - 1)}) for each stochastic method, one " +
            $"deterministic gradient-descent run; recorded every {config.RecordEvery:N0} steps, R every {config.RegularizerEvery:N0}. " +
            $"{diverged} of {runs.Count} runs diverged.";
    }

    /// <summary>The seed of stochastic run <paramref name="index"/>; the data set uses the base seed itself.</summary>
    static ulong RunSeed(ulong baseSeed, int index) => baseSeed + 1 + (ulong)index;

    /// <summary>How one run ended.</summary>
    public sealed record RunOutcome(double FinalRecoveryError, long? DivergedAt);

    /// <summary>
    /// Trains one method from u = 1, v = 0 and appends its rows to <paramref name="table"/>: every
    /// <c>RecordEvery</c> steps and at the end, or a final row of +∞ where the run diverged.
    /// </summary>
    public static RunOutcome Train(Method method, ulong seed, Config config, RegressionDataset data, double[] truth, CsvTable table)
    {
        var model = new QuadraticModel(config.Features);
        using var learner = new HandLearner(model, data);
        var generators = RunGenerators.FromSeed(seed);
        ILabelNoise noise = method switch
        {
            Method.LabelNoisePlusMinus => new PlusMinusNoise(config.NoiseStdDev),
            Method.LabelNoiseGaussian => new GaussianNoise(config.NoiseStdDev),
            _ => new NoLabelNoise(),
        };
        var schedule = new LearningRateSchedule(config.LearningRate, config.DecaySteps.Select(s => (s, config.DecayFactor)).ToArray());
        var everyExample = BatchSampler.Full(data.Count);
        var cleanTargets = CleanTargets.Of(data, everyExample);
        double lastError = Record(0);
        for (long step = 0; step < config.Steps; step++)
        {
            double eta = schedule.At(step);
            double batchLoss;
            if (method == Method.GradientDescent) batchLoss = learner.Step(everyExample, cleanTargets, eta, 0);
            else
            {
                var batch = BatchSampler.WithReplacement(data.Count, config.BatchSize, generators.Sampler);
                batchLoss = learner.Step(batch, noise.Perturb(data, batch, generators.Noise), eta, 0);
            }
            if (!(batchLoss < config.DivergenceLoss))
            {
                table.Add((int)method, seed, step + 1, double.PositiveInfinity, double.PositiveInfinity, double.NaN);
                return new RunOutcome(double.PositiveInfinity, step + 1);
            }
            if ((step + 1) % config.RecordEvery == 0 || step + 1 == config.Steps) lastError = Record(step + 1);
        }
        if (!double.IsFinite(lastError))
        {
            // The parameters overflowed on the very last steps: still a divergence, reported as one.
            return new RunOutcome(double.PositiveInfinity, config.Steps);
        }
        return new RunOutcome(lastError, null);

        double Record(long step)
        {
            var parameters = learner.GetParameters();
            double error = RecoveryError(model.EffectiveWeights(parameters), truth);
            double loss = learner.Evaluate(data, false).Loss;
            double regularizer = double.NaN;
            if (step % config.RegularizerEvery == 0 || step == config.Steps)
                regularizer = Regularizer(model, data, parameters, schedule.At(Math.Min(step, config.Steps - 1)));
            table.Add((int)method, seed, step, error, loss, regularizer);
            return error;
        }
    }

    /// <summary>‖w − w*‖².</summary>
    public static double RecoveryError(ReadOnlySpan<double> weights, ReadOnlySpan<double> truth)
    {
        if (weights.Length != truth.Length) throw new ArgumentException($"w has {weights.Length} entries but w* has {truth.Length}", nameof(weights));
        double sum = 0;
        for (int j = 0; j < weights.Length; j++) sum += (weights[j] - truth[j]) * (weights[j] - truth[j]);
        return sum;
    }

    /// <summary>
    /// R(θ) of eq. (1) at learning rate η, exactly from the eigenvalues of ∇²L; +∞ when η·λ_max ≥ 2; NaN for non-finite θ.
    /// The eigenvalues come from the managed Jacobi solver: LAPACK through libtorch (DenseSymmetric.Eigh) took seconds per
    /// 200 × 200 call on a loaded 2-core machine (its two OpenMP threads contending), Jacobi a steady ~40 ms.
    /// </summary>
    static double Regularizer(QuadraticModel model, RegressionDataset data, double[] parameters, double learningRate)
    {
        if (!parameters.All(double.IsFinite)) return double.NaN;
        using var objective = new HandObjective(model, data, parameters);
        return new ImplicitRegularizer(learningRate).FromEigenvalues(SymmetricEigen.Eigenvalues(objective.HessianMatrix()));
    }

    /// <summary>Per method and step: the median over seeds and the min/max band of a column (non-finite and missing values left out).</summary>
    static IEnumerable<(Method Method, double[] Steps, double[] Median, double[] Min, double[] Max)> Bands(CsvTable table, string column, bool positiveOnly)
    {
        foreach (var method in Enum.GetValues<Method>())
        {
            var rows = table.Where("method", (int)method);
            if (rows.RowCount == 0) continue;
            var steps = rows.Column("step");
            var values = rows.Column(column);
            var groups = steps.Zip(values)
                .Where(p => double.IsFinite(p.Second) && (!positiveOnly || p.Second > 0))
                .GroupBy(p => p.First, p => p.Second)
                .OrderBy(g => g.Key)
                .Select(g => (Step: g.Key, Values: g.Order().ToArray()))
                .ToArray();
            if (groups.Length == 0) continue;
            yield return (method, groups.Select(g => g.Step).ToArray(), groups.Select(g => Vectors.Median(g.Values)).ToArray(),
                groups.Select(g => g.Values[0]).ToArray(), groups.Select(g => g.Values[^1]).ToArray());
        }
    }

    public IReadOnlyList<FigureFile> Plot(string folder)
    {
        var table = CsvTable.Read(Path.Combine(folder, DataFile));
        List<Series> SeriesOf(string column, bool log) => Bands(table, column, log)
            .Select(b => new Series(Label(b.Method), b.Steps, b.Median, b.Min, b.Max)).ToList();
        return
        [
            FigureWriter.Line(folder, "recovery-error", "Recovery error ‖u⊙u − v⊙v − w*‖²", "step", "recovery error",
                SeriesOf("recovery_error", true),
                "Median over seeds (band: min to max) of the recovery error. Label noise drives it towards 0 (w* recovered); gradient descent stays at a dense interpolator.",
                logY: true),
            FigureWriter.Line(folder, "train-loss", "Training loss L(θ)", "step", "L(θ)", SeriesOf("train_loss", true),
                "Median over seeds (band: min to max) of the training loss on the clean labels: every method interpolates the data.", logY: true),
            FigureWriter.Line(folder, "regularizer", "Implicit regularizer R(θ) (eq. 1)", "step", "R(θ)", SeriesOf("regularizer", true),
                "Median over seeds (band: min to max) of R(θ) with the η of the current phase (points where R = +∞ omitted). Label noise lowers R.",
                logY: true),
        ];
    }

    /// <summary>Per method, the last row of every seed: (seed, final step, final recovery error, final loss, final R).</summary>
    static List<(double Seed, double Step, double Error, double Loss, double Regularizer)> FinalRows(CsvTable table, Method method)
    {
        var rows = table.Where("method", (int)method);
        var result = new List<(double, double, double, double, double)>();
        foreach (double seed in rows.Column("seed").Distinct().Order())
        {
            var run = rows.Where("seed", seed);
            var steps = run.Column("step");
            int last = Array.IndexOf(steps, steps.Max());
            result.Add((seed, steps[last], run[last, "recovery_error"], run[last, "train_loss"], run[last, "regularizer"]));
        }
        return result;
    }

    public IReadOnlyList<Claim> Evaluate(string folder)
    {
        var table = CsvTable.Read(Path.Combine(folder, DataFile));
        var setting = CsvTable.Read(Path.Combine(folder, SettingFile));
        double support = setting[0, "support"], fraction = setting[0, "recovery_fraction"], steps = setting[0, "steps"];
        double threshold = fraction * support; // ‖w*‖² = r
        string F(double x) => x.ToString("G3", CultureInfo.InvariantCulture);

        (double Median, double Min, double Max, int Runs, int Diverged, bool Complete) Summary(Method method)
        {
            var finals = FinalRows(table, method);
            var errors = finals.Select(f => double.IsNaN(f.Error) ? double.PositiveInfinity : f.Error).Order().ToArray();
            int diverged = errors.Count(e => !double.IsFinite(e));
            bool complete = finals.All(f => f.Step == steps || !double.IsFinite(f.Error));
            return errors.Length == 0 ? (double.NaN, double.NaN, double.NaN, 0, 0, false)
                : (Vectors.Median(errors), errors[0], errors[^1], errors.Length, diverged, complete);
        }

        string Describe(Method method)
        {
            var s = Summary(method);
            return s.Runs == 1 ? $"final error {F(s.Median)}"
                : $"median final error {F(s.Median)} (min {F(s.Min)}, max {F(s.Max)}) over {s.Runs} seeds, {s.Diverged} diverged";
        }

        Claim Recovers(Method method)
        {
            var s = Summary(method);
            return new Claim($"Label-noise SGD ({Label(method)}) recovers the sparse w*",
                Describe(method) + $"; ‖w*‖² = {support}",
                $"median final ‖u⊙u − v⊙v − w*‖² below {F(fraction * 100)} % of ‖w*‖² (< {F(threshold)}), no run diverged",
                s.Runs > 0 && s.Complete && s.Diverged == 0 && s.Median < threshold)
            {
                Margin = Margin.Join(Margin.AtMost(s.Median, threshold, strict: true), Margin.AtMost(s.Diverged, 0, " diverged runs")),
            };
        }

        var gd = FinalRows(table, Method.GradientDescent);
        double gdLoss = gd.Count == 1 ? gd[0].Loss : double.NaN, gdError = gd.Count == 1 ? gd[0].Error : double.NaN;
        var sgd = Summary(Method.Sgd);

        var labelNoiseR = new[] { Method.LabelNoisePlusMinus, Method.LabelNoiseGaussian }
            .SelectMany(m => FinalRows(table, m)).Select(f => f.Regularizer).Order().ToArray();
        double gdR = gd.Count == 1 ? gd[0].Regularizer : double.NaN;
        double labelNoiseRMedian = labelNoiseR.Length == 0 ? double.NaN : Vectors.Median(labelNoiseR);
        // The run nearest to gradient descent's R decides "every run below it"; NaN sorts first, so a NaN shows as none.
        double labelNoiseRMax = labelNoiseR.Length == 0 || double.IsNaN(labelNoiseR[0]) ? double.NaN : labelNoiseR[^1];

        return
        [
            Recovers(Method.LabelNoisePlusMinus),
            Recovers(Method.LabelNoiseGaussian),
            new Claim("Gradient descent from the same start converges to a dense interpolator, not to w*",
                $"final error {F(gdError)}, final training loss {F(gdLoss)}",
                $"final error above {F(fraction * 100)} % of ‖w*‖² (> {F(threshold)}) while the training loss is below 1e-6 (an interpolator)",
                gd.Count == 1 && gd[0].Step == steps && gdError > threshold && gdLoss < 1e-6)
            {
                Margin = Margin.Join(Margin.AtLeast(gdError, threshold, strict: true), Margin.AtMost(gdLoss, 1e-6, strict: true)),
            },
            new Claim("Minibatch SGD without label noise does not recover w* either",
                Describe(Method.Sgd),
                $"median final error above {F(fraction * 100)} % of ‖w*‖² (> {F(threshold)})",
                sgd.Runs > 0 && sgd.Complete && sgd.Median > threshold)
            {
                Margin = Margin.AtLeast(sgd.Median, threshold, strict: true),
            },
            new Claim("Label noise reaches a flatter minimizer: lower implicit regularizer R than gradient descent's",
                $"final R: median {F(labelNoiseRMedian)} over {labelNoiseR.Length} label-noise runs (max {F(labelNoiseRMax)}), gradient descent {F(gdR)} (both at the last phase's η)",
                "every label-noise run's final R is below gradient descent's",
                labelNoiseR.Length > 0 && labelNoiseR.All(r => r < gdR))
            {
                Margin = Margin.Below(labelNoiseRMax, gdR),
            },
        ];
    }
}
