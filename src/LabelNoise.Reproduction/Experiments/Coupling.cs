using System.Globalization;
using LabelNoise.Curvature;
using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Noise;
using LabelNoise.Objectives;
using LabelNoise.Theory;
using LabelNoise.Training;
using LabelNoise.Randomness;
using LabelNoise.Figures;
using LabelNoise.Files;

namespace LabelNoise.Experiments;

/// <summary>
/// Lemma 1 (local coupling): started at a global minimizer θ*, label-noise SGD θₖ stays close to
/// Φₖ(θ*) + ξₖ, where Φ is gradient descent on L̃ = L + λR (eq. 2) and ξ the Ornstein–Uhlenbeck process of
/// eq. (4) driven by the same batches and the same label noise as θ. We measure the coupling error
/// ‖θₖ − ξₖ − Φₖ(θ*)‖ against the movement ‖Φₖ(θ*) − θ*‖ of the regularized trajectory for several λ.
/// </summary>
public sealed class Coupling : IExperiment
{
    /// <summary>The experiment's setting; the defaults are the laptop scale.</summary>
    public sealed record Config
    {
        public int Features { get; init; } = 10;
        public int Examples { get; init; } = 5;
        public int Support { get; init; } = 2;

        /// <summary>η·λ_max(∇²L(θ*)): the learning rate as a fraction of the stability limit 2/λ_max (Assumption 2 with ν = 2 − this).</summary>
        public double SharpnessStep { get; init; } = 0.5;

        /// <summary>σ of the ±σ label noise; λ = ησ²/B.</summary>
        public double[] NoiseStdDevs { get; init; } = [4, 2, 1, 0.5];

        /// <summary>
        /// B, drawn with replacement. Large (20n) on purpose: the minibatch noise −η(∇L^(k) − ∇L), which ξ leaves out and
        /// Lemma 1 treats as lower order, changes the covariance of θ − Φ by a relative O(η‖∇fᵢ‖²(n − 1)/(nB)) and with it
        /// the drift; at B = 1 and this η it held the error/movement ratio near 0.7 for every λ in development runs.
        /// </summary>
        public int BatchSize { get; init; } = 100;

        /// <summary>ηλT, the same for every λ: T = Horizon/(ηλ) steps, so that Φ moves about as far for each λ (locally: ~0.2 at H = 0.01 here).</summary>
        public double Horizon { get; init; } = 0.01;

        public int Seeds { get; init; } = 5;

        /// <summary>About this many recorded points per trajectory.</summary>
        public int Records { get; init; } = 100;

        /// <summary>Standard deviation of the random start of the gradient descent that finds θ* (u, v ~ N(0, s²)).</summary>
        public double StartScale { get; init; } = 1.0;

        /// <summary>θ* is accepted once L(θ*) is below this.</summary>
        public double MinimizerLoss { get; init; } = 1e-20;

        public int MinimizerMaxSteps { get; init; } = 5_000_000;

        /// <summary>
        /// The claim: on every path, the coupling error at every recorded step k ≤ T stays below this fraction of the largest
        /// movement max_k ‖Φₖ(θ*) − θ*‖. Lemma 1's: the error bound 𝒟 ≤ 𝓜 while Φ may move up to 8𝓜 ("at least 8 times smaller").
        /// </summary>
        public double RatioBound { get; init; } = 1.0 / 8;
    }

    public static Config For(ExperimentScale scale) => scale switch
    {
        ExperimentScale.Tiny => new Config { NoiseStdDevs = [4, 2, 1], Horizon = 0.005, Seeds = 2, Records = 40 },
        ExperimentScale.Laptop => new Config(),
        ExperimentScale.Full => new Config { NoiseStdDevs = [4, 2, 1, 0.5, 0.25], Horizon = 0.02, Seeds = 20, Records = 200 },
        _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, "unknown scale"),
    };

    public const string DataFile = "coupling.csv";
    public const string SettingFile = "setting.csv";

    public string Name => "coupling";
    public string Title => "Local coupling: θₖ ≈ Φₖ(θ*) + ξₖ (Lemma 1)";
    public string Description =>
        "Lemma 1: started at an approximate global minimizer θ*, label-noise SGD θₖ equals Φₖ(θ*) + ξₖ up to an error 𝒟 that is at least " +
        "8 times smaller than the movement of Φ, where Φₖ is gradient descent on the regularized loss L̃ = L + λR (eq. 2) and ξₖ₊₁ = " +
        "(I − ηG)ξₖ + (η/B)Σᵢ εᵢ∇fᵢ(θ*) (eq. 4) is driven by the batches and label noise of θ's own steps (the coupling is pathwise). " +
        "The error bound scales like λ^(1/2+δ/2) while the movement over 1/(ηλ) steps is of order 1, so the ratio should shrink as λ → 0. " +
        "We take the quadratic model with fewer examples than features (a manifold of global minimizers), a θ* found by gradient " +
        "descent to L < 1e-20, and run θ, ξ and Φ for T = H/(ηλ) steps at several σ (λ = ησ²/B) at a fixed η. The batch is large " +
        "(drawn with replacement) so that minibatch noise, which ξ leaves out and the lemma treats as a lower-order term, stays small: " +
        "at a fixed η it shifts the drift of θ by a relative O(η‖∇fᵢ‖²/B) that does not vanish as λ → 0 (with B = 1 and this η it " +
        "kept the error/movement ratio near 0.7 in development runs).";

    public string Generate(ExperimentContext context)
    {
        var config = For(context.Scale);
        ExperimentRunner.WriteConfig(context.Folder, config);
        var data = (RegressionDataset)SparseRegressionGenerator.Generate(config.Features, config.Examples, config.Support, context.Seed, testSize: 0).Train;
        var model = new QuadraticModel(config.Features);

        context.Report("finding a global minimizer θ* by gradient descent");
        var start = RandomStart(model, config.StartScale, RunGenerators.FromSeed(context.Seed).Model);
        var minimizer = FindMinimizer(model, data, start, config.MinimizerLoss, config.MinimizerMaxSteps);
        using var objective = new HandObjective(model, data, minimizer.Parameters);
        var hessian = DenseSymmetric.Eigh(objective.HessianMatrix()).Values;
        double sharpness = hessian.Max();
        double eta = config.SharpnessStep / sharpness;
        var gaussNewton = objective.GaussNewtonMatrix();
        var outputGradients = Enumerable.Range(0, data.Count).Select(objective.OutputGradient).ToArray();

        var table = new CsvTable("sigma", "lambda", "seed", "step", "coupling_error", "movement", "xi_norm", "sgd_distance");
        var setting = new CsvTable("sigma", "lambda", "eta", "steps", "ratio_bound", "phi_completed");
        foreach (double sigma in config.NoiseStdDevs)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            double lambda = ImplicitRegularizer.Lambda(eta, sigma, config.BatchSize);
            int steps = (int)Math.Round(config.Horizon / (eta * lambda));
            int recordEvery = Math.Max(1, steps / config.Records);
            context.Report($"σ = {sigma.ToString(CultureInfo.InvariantCulture)}: regularized trajectory Φ over {steps:N0} steps");
            var trajectory = RegularizedTrajectory.Run(new RegularizedLoss(objective, new RegularizerSettings(eta), lambda), minimizer.Parameters, steps, recordEvery);
            var phi = trajectory.Points.ToDictionary(p => p.Step, p => p.Parameters.ToArray());
            setting.Add(sigma, lambda, eta, steps, config.RatioBound, trajectory.Stop == TrajectoryStop.Completed ? 1 : 0);
            if (trajectory.Stop != TrajectoryStop.Completed)
                context.Report($"σ = {sigma.ToString(CultureInfo.InvariantCulture)}: Φ stopped early: {trajectory.StopReason}");

            for (int s = 0; s < config.Seeds; s++)
            {
                context.Cancellation.ThrowIfCancellationRequested();
                ulong seed = context.Seed + 1 + (ulong)s;
                context.Report($"σ = {sigma.ToString(CultureInfo.InvariantCulture)}: label-noise SGD and ξ, seed {seed}");
                foreach (var row in CoupledRun(model, data, minimizer.Parameters, outputGradients, gaussNewton, eta, sigma, config.BatchSize, steps, phi, seed))
                    table.Add(sigma, lambda, seed, row.Step, row.CouplingError, row.Movement, row.XiNorm, row.SgdDistance);
            }
        }
        table.Write(Path.Combine(context.Folder, DataFile));
        setting.Write(Path.Combine(context.Folder, SettingFile));

        string F(double x) => x.ToString("G3", CultureInfo.InvariantCulture);
        return $"quadratic model ⟨u⊙u − v⊙v, x⟩, d = {config.Features}, n = {config.Examples} (the global minimizers form a manifold of " +
            $"dimension ≥ {2 * config.Features - config.Examples}), sparse data with r = {config.Support}, data seed {context.Seed}. θ*: gradient " +
            $"descent from u, v ~ N(0, {F(config.StartScale)}²) for {minimizer.Steps:N0} steps at step size {F(minimizer.StepSize)}, to " +
            $"L(θ*) = {F(minimizer.Loss)}; λ_max(∇²L(θ*)) = {F(sharpness)}. η = {F(config.SharpnessStep)}/λ_max = {F(eta)}, B = {config.BatchSize}, " +
            $"±σ label noise with σ ∈ {{{string.Join(", ", config.NoiseStdDevs.Select(F))}}} (λ = ησ²/B ∈ " +
            $"{{{string.Join(", ", config.NoiseStdDevs.Select(s => F(eta * s * s / config.BatchSize)))}}}), T = {F(config.Horizon)}/(ηλ) steps; " +
            $"Φ is computed exactly (dense Hessian, ∇R = ½∇³L[(2 − η∇²L)⁻¹]); ξ uses G = ∇²L(θ*) = (1/n)Σ∇fᵢ∇fᵢᵀ and ∇fᵢ(θ*). " +
            $"{config.Seeds} seeds ({context.Seed + 1}–{context.Seed + (ulong)config.Seeds}) per σ.";
    }

    /// <summary>u, v ~ N(0, s²) entry by entry.</summary>
    static double[] RandomStart(QuadraticModel model, double scale, RandomStream generator)
    {
        var theta = new double[model.ParameterCount];
        for (int j = 0; j < theta.Length; j++) theta[j] = scale * generator.NextGaussian();
        return theta;
    }

    /// <summary>A global minimizer found by full-batch gradient descent, and how it was found.</summary>
    public sealed record Minimizer(double[] Parameters, double Loss, long Steps, double StepSize);

    /// <summary>
    /// Full-batch gradient descent from <paramref name="start"/> until L &lt; <paramref name="tolerance"/>, with step
    /// size 1/λ_max(∇²L(start)), halved whenever the loss stops decreasing over a check interval.
    /// </summary>
    public static Minimizer FindMinimizer(IHandModel model, RegressionDataset data, double[] start, double tolerance, int maxSteps)
    {
        using var atStart = new HandObjective(model, data, start);
        double stepSize = 1 / DenseSymmetric.Eigh(atStart.HessianMatrix()).Values.Max();
        using var learner = new HandLearner(model, data);
        learner.SetParameters(start);
        var everyExample = BatchSampler.Full(data.Count);
        var targets = CleanTargets.Of(data, everyExample);
        const int CheckEvery = 1000;
        double loss = learner.Evaluate(data, false).Loss;
        var checkpoint = (double[])start.Clone();
        for (long step = 0; step < maxSteps; step += CheckEvery)
        {
            if (loss < tolerance) return new Minimizer(learner.GetParameters(), loss, step, stepSize);
            for (int k = 0; k < CheckEvery; k++) learner.Step(everyExample, targets, stepSize, 0);
            double next = learner.Evaluate(data, false).Loss;
            if (!(next < loss) && next >= tolerance)
            {
                // Unstable (or stuck at roundoff): go back and halve the step.
                learner.SetParameters(checkpoint);
                stepSize /= 2;
                continue;
            }
            loss = next;
            checkpoint = learner.GetParameters();
        }
        if (loss < tolerance) return new Minimizer(learner.GetParameters(), loss, maxSteps, stepSize);
        throw new InvalidOperationException($"gradient descent did not reach L < {tolerance:G3} in {maxSteps:N0} steps (L = {loss:G3}, step size {stepSize:G3})");
    }

    /// <summary>One recorded point of a coupled run.</summary>
    public sealed record CoupledPoint(int Step, double CouplingError, double Movement, double XiNorm, double SgdDistance);

    /// <summary>
    /// Label-noise SGD θ from θ* and the OU process ξ from 0, stepped together with the same batch and the same εᵢ
    /// every step; at each step where <paramref name="phi"/> has Φₖ(θ*), the coupling error ‖θₖ − ξₖ − Φₖ‖,
    /// the movement ‖Φₖ − θ*‖, ‖ξₖ‖ and ‖θₖ − θ*‖.
    /// </summary>
    public static IReadOnlyList<CoupledPoint> CoupledRun(IHandModel model, RegressionDataset data, double[] minimizer, double[][] outputGradients,
        double[,] gaussNewton, double learningRate, double noiseStdDev, int batchSize, int steps, IReadOnlyDictionary<int, double[]> phi, ulong seed)
    {
        using var learner = new HandLearner(model, data);
        learner.SetParameters(minimizer);
        var generators = RunGenerators.FromSeed(seed);
        var xi = new double[minimizer.Length];
        var points = new List<CoupledPoint>();
        for (int k = 0; ; k++)
        {
            if (phi.TryGetValue(k, out var reference))
            {
                var theta = learner.GetParameters();
                double error = 0, movement = 0, xiNorm = 0, distance = 0;
                for (int j = 0; j < theta.Length; j++)
                {
                    double e = theta[j] - xi[j] - reference[j], m = reference[j] - minimizer[j], t = theta[j] - minimizer[j];
                    error += e * e;
                    movement += m * m;
                    xiNorm += xi[j] * xi[j];
                    distance += t * t;
                }
                points.Add(new CoupledPoint(k, Math.Sqrt(error), Math.Sqrt(movement), Math.Sqrt(xiNorm), Math.Sqrt(distance)));
            }
            if (k == steps) break;
            var batch = BatchSampler.WithReplacement(data.Count, batchSize, generators.Sampler);
            var (targets, noise) = DrawLabelNoise(data, batch, noiseStdDev, generators.Noise);
            learner.Step(batch, targets, learningRate, 0);
            xi = OuStep(xi, gaussNewton, outputGradients, batch, noise, learningRate);
        }
        return points;
    }

    /// <summary>
    /// The ±σ label noise of one step, exactly as <see cref="PlusMinusNoise"/> draws it (one sign per batch slot,
    /// in order), returned both as the noisy targets yᵢ + εᵢ and as the εᵢ themselves, which drive ξ.
    /// </summary>
    public static (RegressionTargets Targets, double[] Noise) DrawLabelNoise(RegressionDataset data, IReadOnlyList<int> batch, double noiseStdDev, RandomStream generator)
    {
        var values = new double[batch.Count];
        var noise = new double[batch.Count];
        for (int b = 0; b < batch.Count; b++)
        {
            noise[b] = noiseStdDev * generator.NextSign();
            values[b] = data.Targets[batch[b]] + noise[b];
        }
        return (new RegressionTargets(values), noise);
    }

    /// <summary>
    /// Eq. (4) along one path: ξₖ₊₁ = (I − ηG)ξₖ + (η/B) Σ_b ε_b ∇f_{i_b}(θ*), with the batch (i_b) and the noise (ε_b)
    /// of step k. Returns a new vector; the inputs are not changed.
    /// </summary>
    public static double[] OuStep(IReadOnlyList<double> xi, double[,] gaussNewton, IReadOnlyList<double[]> outputGradients, IReadOnlyList<int> batch,
        IReadOnlyList<double> noise, double learningRate)
    {
        int p = xi.Count;
        if (gaussNewton.GetLength(0) != p || gaussNewton.GetLength(1) != p)
            throw new ArgumentException($"G is {gaussNewton.GetLength(0)}×{gaussNewton.GetLength(1)} but ξ has {p} entries", nameof(gaussNewton));
        if (noise.Count != batch.Count) throw new ArgumentException($"{noise.Count} noise values for a batch of {batch.Count}", nameof(noise));
        var next = new double[p];
        for (int a = 0; a < p; a++)
        {
            double g = 0;
            for (int b = 0; b < p; b++) g += gaussNewton[a, b] * xi[b];
            next[a] = xi[a] - learningRate * g;
        }
        double scale = learningRate / batch.Count;
        for (int s = 0; s < batch.Count; s++)
        {
            var gradient = outputGradients[batch[s]];
            if (gradient.Length != p) throw new ArgumentException($"∇f_{batch[s]} has {gradient.Length} entries but ξ has {p}", nameof(outputGradients));
            for (int a = 0; a < p; a++) next[a] += scale * noise[s] * gradient[a];
        }
        return next;
    }

    /// <summary>Per σ: the mean over seeds (and min, max) of a column at each step.</summary>
    static IEnumerable<(double Sigma, double Lambda, double[] Steps, double[] Mean, double[] Min, double[] Max)> Averages(CsvTable table, string column)
    {
        foreach (double sigma in table.Column("sigma").Distinct())
        {
            var rows = table.Where("sigma", sigma);
            var groups = rows.Column("step").Zip(rows.Column(column)).GroupBy(p => p.First, p => p.Second).OrderBy(g => g.Key)
                .Select(g => (Step: g.Key, Values: g.ToArray())).ToArray();
            yield return (sigma, rows[0, "lambda"], groups.Select(g => g.Step).ToArray(), groups.Select(g => g.Values.Average()).ToArray(),
                groups.Select(g => g.Values.Min()).ToArray(), groups.Select(g => g.Values.Max()).ToArray());
        }
    }

    static string F(double x) => x.ToString("G3", CultureInfo.InvariantCulture);

    public IReadOnlyList<FigureFile> Plot(string folder)
    {
        var table = CsvTable.Read(Path.Combine(folder, DataFile));
        var setting = CsvTable.Read(Path.Combine(folder, SettingFile));
        var errors = Averages(table, "coupling_error").ToList();
        var movements = Averages(table, "movement").ToList();
        var series = new List<Series>();
        foreach (var (e, m) in errors.Zip(movements))
        {
            var keep = Enumerable.Range(0, e.Steps.Length).Where(i => e.Steps[i] > 0 && e.Mean[i] > 0 && m.Mean[i] > 0).ToArray();
            series.Add(new Series($"error, λ = {F(e.Lambda)}", keep.Select(i => e.Steps[i]).ToArray(), keep.Select(i => e.Mean[i]).ToArray(),
                keep.Select(i => e.Min[i]).ToArray(), keep.Select(i => e.Max[i]).ToArray()));
            series.Add(new Series($"movement, λ = {F(m.Lambda)}", keep.Select(i => m.Steps[i]).ToArray(), keep.Select(i => m.Mean[i]).ToArray(), Dashed: true));
        }
        var ratios = new List<Series>();
        foreach (var (e, m) in errors.Zip(movements))
        {
            double eta = setting.Where("sigma", e.Sigma)[0, "eta"];
            var keep = Enumerable.Range(0, e.Steps.Length).Where(i => e.Steps[i] > 0 && m.Mean[i] > 0).ToArray();
            ratios.Add(new Series($"λ = {F(e.Lambda)}", keep.Select(i => eta * e.Lambda * e.Steps[i]).ToArray(), keep.Select(i => e.Mean[i] / m.Mean[i]).ToArray()));
        }
        return
        [
            FigureWriter.Line(folder, "coupling", "Coupling error ‖θₖ − ξₖ − Φₖ(θ*)‖ and movement ‖Φₖ(θ*) − θ*‖", "step k", "distance", series,
                "Solid: the coupling error, mean over seeds (band: min to max); dashed: the movement of the regularized trajectory. Lemma 1: the error stays well below the movement.",
                logX: true, logY: true),
            FigureWriter.Line(folder, "coupling-ratio", "Coupling error / movement", "ηλk", "error / movement", ratios,
                "The ratio of the mean coupling error to the movement against the rescaled time ηλk: it shrinks as λ → 0.", logY: true),
        ];
    }

    public IReadOnlyList<Claim> Evaluate(string folder)
    {
        var table = CsvTable.Read(Path.Combine(folder, DataFile));
        var setting = CsvTable.Read(Path.Combine(folder, SettingFile));
        var finals = new List<(double Lambda, double Error, double Movement, double Ratio, bool Complete)>();
        for (int i = 0; i < setting.RowCount; i++)
        {
            double sigma = setting[i, "sigma"], steps = setting[i, "steps"];
            var last = table.Where("sigma", sigma).Where("step", steps);
            bool complete = setting[i, "phi_completed"] == 1 && last.RowCount > 0;
            double error = last.RowCount == 0 ? double.NaN : last.Column("coupling_error").Average();
            double movement = last.RowCount == 0 ? double.NaN : last.Column("movement").Average();
            finals.Add((setting[i, "lambda"], error, movement, error / movement, complete));
        }
        var ordered = finals.OrderByDescending(f => f.Lambda).ToArray();
        double bound = setting.RowCount == 0 ? double.NaN : setting[0, "ratio_bound"];
        var curves = Enumerable.Range(0, setting.RowCount).Select(i => WorstCurveRatio(table, setting[i, "sigma"], setting[i, "steps"]))
            .Zip(finals, (worst, f) => (f.Lambda, Worst: worst, f.Complete)).OrderByDescending(c => c.Lambda).ToArray();
        string worst = string.Join("; ", curves.Select(c => $"λ = {F(c.Lambda)}: {F(c.Worst)}"));
        bool below = curves.Length > 0 && curves.All(c => c.Complete && c.Worst < bound);
        double exponent = LineFit.Of(ordered.Select(f => Math.Log(f.Lambda)).ToArray(), ordered.Select(f => Math.Log(f.Ratio)).ToArray()).Slope;
        bool shrinks = ordered.Length >= 2 && ordered.All(f => f.Complete && double.IsFinite(f.Ratio))
            && ordered.Zip(ordered.Skip(1)).All(p => p.Second.Ratio < p.First.Ratio);
        return
        [
            new Claim("Lemma 1: label-noise SGD from a global minimizer follows Φₖ(θ*) + ξₖ; the coupling error stays well below the movement of Φ",
                $"max over seeds of max_k ‖θₖ − ξₖ − Φₖ(θ*)‖ / max_k ‖Φₖ(θ*) − θ*‖ (k ≤ T = H/(ηλ)): {worst}",
                $"for every λ and every seed, the coupling error at every recorded step k ≤ T is below {F(bound)} × the largest movement max_k ‖Φₖ(θ*) − θ*‖ (Lemma 1: 𝒟 ≤ 𝓜 while Φ moves up to 8𝓜), and Φ completed every step",
                below)
            {
                Margin = Margin.AllAtMost(curves.Select(c => c.Worst), bound, strict: true),
            },
            new Claim("The coupling error is of higher order in λ than the movement: error/movement shrinks as λ → 0",
                $"ratio at the final step: {string.Join(", ", ordered.Select(f => $"{F(f.Ratio)} (λ = {F(f.Lambda)})"))}; least-squares fit ratio ∝ λ^{F(exponent)}",
                "the final ratio decreases strictly from each λ to the next smaller one",
                shrinks)
            {
                Margin = Margin.Decreasing(ordered.Select(f => f.Ratio).ToArray()),
            },
        ];
    }

    /// <summary>
    /// Over the seeds of one σ, the largest max_{k≤T} coupling error / max_{k≤T} movement: Lemma 1's bound holds for all
    /// k ≤ τ at once on a path. +∞ when a seed's curve is empty or does not reach step <paramref name="steps"/>; NaN from non-finite data.
    /// </summary>
    static double WorstCurveRatio(CsvTable table, double sigma, double steps)
    {
        var rows = table.Where("sigma", sigma);
        if (rows.RowCount == 0) return double.PositiveInfinity;
        double worst = 0;
        foreach (double seed in rows.Column("seed").Distinct())
        {
            var path = rows.Where("seed", seed);
            var inside = Enumerable.Range(0, path.RowCount).Where(i => path[i, "step"] <= steps).ToArray();
            if (!inside.Any(i => path[i, "step"] == steps)) return double.PositiveInfinity;
            double error = inside.Max(i => path[i, "coupling_error"]), movement = inside.Max(i => path[i, "movement"]);
            worst = Math.Max(worst, error / movement);
            if (double.IsNaN(error / movement)) return double.NaN;
        }
        return worst;
    }
}
