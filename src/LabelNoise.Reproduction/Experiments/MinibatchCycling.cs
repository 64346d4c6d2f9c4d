using System.Globalization;
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
/// §5.2: R_S depends on the reference point through S, so there is no fixed potential in general; the paper
/// cites an example (Appendix F.2, not available) where minibatch SGD perpetually cycles. This experiment is
/// our own construction of such an example: a "twisted valley" whose global minimizers form a circle, whose
/// cross-section stiffness axes rotate once around the circle, and whose minibatch noise is rotated relative
/// to those axes by a fixed angle. The drift of Proposition 5 is then tangent to the circle with a constant
/// sign: its line integral around the loop is nonzero, so it is the gradient of no potential, and minibatch
/// SGD (no label noise) circles forever at (excess) loss ≈ 0.
/// </summary>
public sealed class MinibatchCycling : IExperiment
{
    /// <param name="PairAngle">β: the noisy pair's input is c_a = (cos β, sin β).</param>
    /// <param name="CleanInput">k: the clean example's input is c_b = (k, 0).</param>
    /// <param name="LabelOffset">s: the noisy pair has labels +s and −s on the same input (no interpolation possible).</param>
    /// <param name="LearningRate">η.</param>
    /// <param name="BatchSize">B (with replacement).</param>
    /// <param name="LoopPoints">Points on the circle where the drift is computed.</param>
    /// <param name="Steps">SGD steps per run.</param>
    /// <param name="Runs">Independent runs (seeds split from the run seed).</param>
    /// <param name="RecordEvery">Steps between trajectory records.</param>
    public sealed record Config(double PairAngle, double CleanInput, double LabelOffset, double LearningRate, int BatchSize, int LoopPoints,
        int Steps, int Runs, int RecordEvery);

    /// <summary>The stated "loss ≈ 0" threshold: the mean excess loss L − min L of every run stays below it.</summary>
    public const double ExcessLossThreshold = 1e-3;

    /// <summary>The stated tube: every recorded point stays within this distance of the circle of minimizers (radius 1).</summary>
    public const double DistanceThreshold = 0.2;

    /// <summary>The measured winding rate must agree with the leading-order drift within this relative tolerance.</summary>
    public const double RateTolerance = 0.2;

    public static Config For(ExperimentScale scale) => scale switch
    {
        ExperimentScale.Tiny => new(-Math.PI / 4, 1, 0.1, 0.3, 1, 64, 150_000, 2, 100),
        ExperimentScale.Laptop => new(-Math.PI / 4, 1, 0.1, 0.3, 1, 256, 2_000_000, 4, 100),
        _ => new(-Math.PI / 4, 1, 0.1, 0.3, 1, 1024, 20_000_000, 8, 1000),
    };

    public string Name => "minibatch-cycling";
    public string Title => "Minibatch SGD that cycles forever: no fixed potential (§5.2; our construction)";
    public string Description =>
        "§5.2 argues that for general noise the implicit regularizer R_S = ⟨S, ∇²L⟩ changes with the reference point (S is the fixed point " +
        "of S = (I − ηH)S(I − ηH) + ηλΣ at θ*), so there need not be a fixed potential, and cites an example where minibatch SGD perpetually " +
        "cycles (Appendix F.2, which is not available). The example here is OUR OWN CONSTRUCTION, not the paper's. Parameters θ = (x, y, z), " +
        "model f(θ; c) = c₁u₁ + c₂u₂ with u₁ + iu₂ = (x − iy)(q + iz), q = (x² + y² − 1)/2, squared loss, three examples: a noisy pair " +
        "(c_a, +s), (c_a, −s) with c_a = (cos β, sin β) and a clean example ((k, 0), 0). Because the pair's labels cancel, " +
        "L = ½uᵀMu + s²/3 with M = (1/3)Σcᵢcᵢᵀ ≻ 0, so the global minimizers are exactly the unit circle of the xy-plane (and the z-axis, " +
        "far away), where no example is fitted exactly: the minibatch gradient noise does not vanish there. Along the circle the normal-plane " +
        "Hessian is R_φ M R_φᵀ (its eigen-axes turn once per loop) and the noise covariance is R_φ N R_φᵀ with N ∝ c_ac_aᵀ, rotated against " +
        "M's axes by a fixed angle. Proposition 5's drift −(η/2)∇³L[S] (S from the fixed point with Σ = the per-example gradient " +
        "covariance, λ = η/B) then has a tangential component of constant sign ∝ tr(K[H, S]) (K the rotation generator): its line " +
        "integral around the circle is nonzero, so it is not the gradient of any potential. With label noise instead (Σ ∝ H) the same " +
        "computation gives zero tangential drift (R is constant on this circle). We simulate plain minibatch SGD (B = 1, no label noise) " +
        "from a point of the circle and record the unwrapped angle, the excess loss L − min L and the distance to the circle.";

    public string Generate(ExperimentContext context)
    {
        var config = For(context.Scale);
        ExperimentRunner.WriteConfig(context.Folder, config);
        var data = Dataset(config);
        var model = new TwistedValleyModel();
        double minimum = MinimumLoss(config);

        context.Report("computing Proposition 5's drift around the circle of minimizers");
        var drift = new CsvTable("angle", "tangential_drift", "radial_drift", "vertical_drift", "label_noise_tangential_drift", "gradient_norm",
            "excess_loss", "lyapunov_residual");
        double lambda = config.LearningRate / config.BatchSize;
        for (int k = 0; k < config.LoopPoints; k++)
        {
            double angle = 2 * Math.PI * k / config.LoopPoints;
            var point = Drift(model, data, angle, config.LearningRate, lambda);
            drift.Add(angle, point.Tangential, point.Radial, point.Vertical, point.LabelNoiseTangential, point.GradientNorm, point.Loss - minimum, point.Residual);
        }
        drift.Write(Path.Combine(context.Folder, "drift.csv"));

        var trajectory = new CsvTable("run", "step", "angle", "excess_loss", "distance");
        var root = RunGenerators.FromSeed(context.Seed).Sampler;
        for (int run = 0; run < config.Runs; run++)
        {
            context.Report(FormattableString.Invariant($"run {run + 1}/{config.Runs}: {config.Steps:N0} steps of minibatch SGD (B = {config.BatchSize}, no label noise)"));
            Simulate(model, data, config, minimum, root.Split(), run, trajectory, context.Cancellation);
        }
        trajectory.Write(Path.Combine(context.Folder, "trajectory.csv"));

        return string.Create(CultureInfo.InvariantCulture,
            $"our twisted-valley construction (not the paper's Appendix F.2): θ ∈ ℝ³, f(θ; c) = c₁u₁ + c₂u₂, u₁ + iu₂ = (x − iy)(q + iz), q = (x² + y² − 1)/2; " +
            $"examples (c_a, +{config.LabelOffset}), (c_a, −{config.LabelOffset}), (({config.CleanInput}, 0), 0) with c_a = (cos β, sin β), β = {config.PairAngle:G4}; " +
            $"min L = {minimum:G4} on the unit circle. Drift of Proposition 5 at {config.LoopPoints} points of the circle (η = {config.LearningRate}, B = {config.BatchSize}, λ = η/B, " +
            $"Σ = covariance of the per-example gradients). {config.Runs} runs of minibatch SGD (batches with replacement, clean labels) of {config.Steps:N0} steps each from θ = (1, 0, 0), " +
            $"recorded every {config.RecordEvery} steps.");
    }

    /// <summary>The three examples: a noisy pair (c_a, ±s) and a clean example ((k, 0), 0).</summary>
    public static RegressionDataset Dataset(Config config)
    {
        double ca = Math.Cos(config.PairAngle), sa = Math.Sin(config.PairAngle);
        return new RegressionDataset("twisted-valley", 2, [ca, sa, ca, sa, config.CleanInput, 0], [config.LabelOffset, -config.LabelOffset, 0]);
    }

    /// <summary>min L = (1/n) Σ ½yᵢ² = s²/3, attained where u = 0.</summary>
    public static double MinimumLoss(Config config) => config.LabelOffset * config.LabelOffset / 3;

    /// <summary>Proposition 5's drift per step at the point of the circle at angle φ, in the frame (tangent, radial, vertical).</summary>
    public sealed record DriftPoint(double Tangential, double Radial, double Vertical, double LabelNoiseTangential, double GradientNorm, double Loss, double Residual);

    /// <summary>
    /// At θ* = (cos φ, sin φ, 0): H = ∇²L, Σ = (1/n)Σ gᵢgᵢᵀ − ḡḡᵀ with gᵢ = rᵢ∇fᵢ (the per-example gradients), S the fixed point of
    /// S = (I − ηH)S(I − ηH) + ηλΣ (so that ηλΣ = η²Cov/B is the covariance of the minibatch noise), and the drift −(η/2)∇³L[S]
    /// (Prop. 3/5: the mean of −η∇L(θ* + ξ) to second order); the same with label-noise shaped Σ = H for contrast.
    /// </summary>
    public static DriftPoint Drift(IHandModel model, RegressionDataset data, double angle, double learningRate, double lambda)
    {
        var point = new[] { Math.Cos(angle), Math.Sin(angle), 0 };
        using var objective = new HandObjective(model, data, point);
        var hessian = objective.HessianMatrix();
        int n = data.Count, p = model.ParameterCount;
        var gradients = Enumerable.Range(0, n).Select(i => objective.OutputGradient(i).Select(v => v * objective.Residual(i)).ToArray()).ToArray();
        var mean = new double[p];
        foreach (var g in gradients)
            for (int a = 0; a < p; a++) mean[a] += g[a] / n;
        var sigma = new double[p, p];
        foreach (var g in gradients)
            for (int a = 0; a < p; a++)
                for (int b = 0; b < p; b++) sigma[a, b] += (g[a] - mean[a]) * (g[b] - mean[b]) / n;
        var s = OuCovariance.FixedPoint(hessian, sigma, learningRate, lambda);
        if (!s.Converged) throw new InvalidOperationException($"the fixed point did not converge at angle {angle}: {s.StopReason}");
        var drift = objective.HessianTraceGradient(s.Covariance).Select(v => -learningRate / 2 * v).ToArray();
        var labelNoise = OuCovariance.FixedPoint(hessian, hessian, learningRate, lambda);
        var labelDrift = objective.HessianTraceGradient(labelNoise.Covariance).Select(v => -learningRate / 2 * v).ToArray();
        double[] tangent = [-Math.Sin(angle), Math.Cos(angle), 0], radial = [Math.Cos(angle), Math.Sin(angle), 0];
        double Dot(double[] u, double[] v) => u.Zip(v, (a, b) => a * b).Sum();
        var full = objective.Gradient();
        return new DriftPoint(Dot(drift, tangent), Dot(drift, radial), drift[2], Dot(labelDrift, tangent), Math.Sqrt(Dot(full, full)),
            objective.Loss(), Math.Max(s.RelativeResidual, labelNoise.RelativeResidual));
    }

    static void Simulate(TwistedValleyModel model, RegressionDataset data, Config config, double minimum, RandomStream sampler, int run, CsvTable trajectory,
        CancellationToken cancellation)
    {
        using var learner = new HandLearner(model, data);
        learner.SetParameters([1, 0, 0]);
        double unwrapped = 0, previous = 0;
        trajectory.Add(run, 0, 0, 0, 0);
        for (int step = 1; step <= config.Steps; step++)
        {
            var batch = BatchSampler.WithReplacement(data.Count, config.BatchSize, sampler);
            learner.Step(batch, CleanTargets.Of(data, batch), config.LearningRate, 0);
            if (step % config.RecordEvery != 0 && step != config.Steps) continue;
            if (step % (config.RecordEvery * 1024) == 0) cancellation.ThrowIfCancellationRequested();
            var theta = learner.GetParameters();
            if (!theta.All(double.IsFinite)) throw new InvalidOperationException($"SGD diverged at step {step}");
            double angle = Math.Atan2(theta[1], theta[0]);
            double change = angle - previous;
            if (change > Math.PI) change -= 2 * Math.PI;
            if (change < -Math.PI) change += 2 * Math.PI;
            unwrapped += change;
            previous = angle;
            double loss = 0;
            for (int i = 0; i < data.Count; i++)
            {
                double residual = model.Predict(theta, data.Row(i)) - data.Targets[i];
                loss += 0.5 * residual * residual / data.Count;
            }
            double radius = Math.Sqrt(theta[0] * theta[0] + theta[1] * theta[1]);
            trajectory.Add(run, step, unwrapped, loss - minimum, Math.Sqrt((radius - 1) * (radius - 1) + theta[2] * theta[2]));
        }
    }

    /// <summary>
    /// f(θ; c) = c₁u₁(θ) + c₂u₂(θ) for θ = (x, y, z) and input c ∈ ℝ², with u₁ = xq + yz, u₂ = xz − yq, q = (x² + y² − 1)/2
    /// (u₁ + iu₂ = (x − iy)(q + iz)). Both u vanish exactly on the unit circle of the xy-plane (and on the z-axis); there the
    /// map from the normal coordinates (ρ − 1, z) to u is the rotation by −φ, which makes the valley's cross-section turn once
    /// per loop. A cubic polynomial: gradient, Hessian and third derivative by hand.
    /// </summary>
    public sealed class TwistedValleyModel : IHandModel
    {
        public string Name => "twisted-valley";
        public int FeatureCount => 2;
        public int ParameterCount => 3;

        public double Predict(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x)
        {
            double a = parameters[0], b = parameters[1], z = parameters[2], q = (a * a + b * b - 1) / 2;
            return x[0] * (a * q + b * z) + x[1] * (a * z - b * q);
        }

        public void AccumulateGradient(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, double scale, Span<double> gradient)
        {
            double a = parameters[0], b = parameters[1], z = parameters[2], q = (a * a + b * b - 1) / 2;
            // ∇u₁ = (q + a², ab + z, b); ∇u₂ = (z − ab, −q − b², a).
            gradient[0] += scale * (x[0] * (q + a * a) + x[1] * (z - a * b));
            gradient[1] += scale * (x[0] * (a * b + z) + x[1] * (-q - b * b));
            gradient[2] += scale * (x[0] * b + x[1] * a);
        }

        public void AccumulateHessian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, double scale, Span<double> hessian)
        {
            double a = parameters[0], b = parameters[1];
            // ∇²u₁ = [[3a, b, 0], [b, a, 1], [0, 1, 0]]; ∇²u₂ = [[−b, −a, 1], [−a, −3b, 0], [1, 0, 0]].
            double xx = 3 * a * x[0] - b * x[1], xy = b * x[0] - a * x[1], yy = a * x[0] - 3 * b * x[1];
            hessian[0] += scale * xx; hessian[1] += scale * xy; hessian[2] += scale * x[1];
            hessian[3] += scale * xy; hessian[4] += scale * yy; hessian[5] += scale * x[0];
            hessian[6] += scale * x[1]; hessian[7] += scale * x[0];
        }

        /// <summary>∇ tr(M∇²f): tr(M∇²u₁) = 3aM₀₀ + 2bM₀₁ + aM₁₁ + 2M₁₂, tr(M∇²u₂) = −bM₀₀ − 2aM₀₁ + 2M₀₂ − 3bM₁₁.</summary>
        public void AccumulateHessianTraceGradient(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, double[,] m, double scale, Span<double> gradient)
        {
            gradient[0] += scale * (x[0] * (3 * m[0, 0] + m[1, 1]) - x[1] * 2 * m[0, 1]);
            gradient[1] += scale * (x[0] * 2 * m[0, 1] - x[1] * (m[0, 0] + 3 * m[1, 1]));
        }

        public double[] DefaultParameters() => [1, 0, 0];
    }

    public IReadOnlyList<FigureFile> Plot(string folder)
    {
        var drift = CsvTable.Read(Path.Combine(folder, "drift.csv"));
        var trajectory = CsvTable.Read(Path.Combine(folder, "trajectory.csv"));
        double predicted = LineIntegral(drift, "tangential_drift") / (2 * Math.PI);
        var angleSeries = new List<Series>();
        var lossSeries = new List<Series>();
        foreach (double run in trajectory.Column("run").Distinct())
        {
            var rows = trajectory.Where("run", run);
            angleSeries.Add(new Series($"run {run + 1}", rows.Column("step"), rows.Column("angle")));
            lossSeries.Add(new Series($"run {run + 1}", rows.Column("step"), RunningMean(rows.Column("excess_loss"), 50)));
        }
        var steps = trajectory.Where("run", 0).Column("step");
        angleSeries.Add(new Series("Prop. 5 drift (mean over the loop) × step", steps, steps.Select(s => predicted * s).ToArray(), Dashed: true));
        return
        [
            FigureWriter.Line(folder, "drift", "Tangential drift of Proposition 5 around the circle of minimizers", "angle φ", "drift per step along the circle",
                [
                    new Series("minibatch noise (Σ = per-example gradient covariance)", drift.Column("angle"), drift.Column("tangential_drift")),
                    new Series("label-noise shape (Σ = H), for contrast", drift.Column("angle"), drift.Column("label_noise_tangential_drift"), Dashed: true),
                ],
                "The tangential drift −(η/2)∇³L[S]·t(φ) has one sign all around the loop, so its line integral is nonzero: it is not the gradient of any " +
                "potential. Label-noise shaped noise gives zero tangential drift here.", horizontalLines: [(0, "0")]),
            FigureWriter.Line(folder, "angle", "Minibatch SGD winds around the circle of minimizers", "step", "unwrapped angle (rad)", angleSeries,
                "Unwrapped angle of θ against the step for each run, and the angle predicted by the mean drift (dashed). " +
                "One winding is 2π ≈ 6.28 rad.", horizontalLines: [(-2 * Math.PI, "−2π"), (2 * Math.PI, "2π")]),
            FigureWriter.Line(folder, "excess-loss", "Excess loss along the runs", "step", "L − min L (running mean of 50 records)", lossSeries,
                $"The excess loss (running mean of 50 records) fluctuates at the level of the noise (order λ). The claim tests each run's mean excess loss " +
                $"over the whole run against the threshold {ExcessLossThreshold:G2} (dotted); single stretches of a run may rise above it.",
                horizontalLines: [(ExcessLossThreshold, "threshold")]),
        ];
    }

    static double[] RunningMean(double[] values, int window)
    {
        var result = new double[values.Length];
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += values[i];
            if (i >= window) sum -= values[i - window];
            result[i] = sum / Math.Min(i + 1, window);
        }
        return result;
    }

    /// <summary>∮ v dφ by the trapezoid rule on the uniform periodic grid (spectrally accurate for a smooth periodic v).</summary>
    static double LineIntegral(CsvTable drift, string column) => drift.Column(column).Sum() * 2 * Math.PI / drift.RowCount;

    public IReadOnlyList<Claim> Evaluate(string folder)
    {
        var drift = CsvTable.Read(Path.Combine(folder, "drift.csv"));
        var tangential = drift.Column("tangential_drift");
        double integral = LineIntegral(drift, "tangential_drift");
        double absoluteIntegral = tangential.Sum(Math.Abs) * 2 * Math.PI / drift.RowCount;
        double control = LineIntegral(drift, "label_noise_tangential_drift");
        double controlMax = drift.Column("label_noise_tangential_drift").Max(Math.Abs);
        bool oneSign = tangential.All(v => v > 0) || tangential.All(v => v < 0);
        double offManifold = Math.Max(drift.Column("gradient_norm").Max(), drift.Column("excess_loss").Max(Math.Abs));
        bool onManifold = offManifold < 1e-12;
        double overControl = Math.Abs(integral) / Math.Max(Math.Abs(control), controlMax);
        bool notGradient = oneSign && onManifold && overControl > 1e9;

        var trajectory = CsvTable.Read(Path.Combine(folder, "trajectory.csv"));
        var runs = trajectory.Column("run").Distinct().ToArray();
        var finalAngles = new List<double>();
        var meanLosses = new List<double>();
        var maxDistances = new List<double>();
        var segmentRates = new List<double>();
        var runRates = new List<double>();
        foreach (double run in runs)
        {
            var rows = trajectory.Where("run", run);
            var steps = rows.Column("step");
            var angles = rows.Column("angle");
            finalAngles.Add(angles[^1]);
            runRates.Add(angles[^1] / steps[^1]);
            meanLosses.Add(rows.Column("excess_loss").Skip(1).Average());
            maxDistances.Add(rows.Column("distance").Max());
            int segments = 10, length = (rows.RowCount - 1) / segments;
            for (int k = 0; k < segments && length > 0; k++)
            {
                int start = k * length, end = (k + 1) * length;
                segmentRates.Add((angles[end] - angles[start]) / (steps[end] - steps[start]));
            }
        }
        double predictedRate = integral / (2 * Math.PI);
        bool winds = finalAngles.All(a => Math.Abs(a) >= 2 * Math.PI && Math.Sign(a) == Math.Sign(integral));
        bool lowLoss = meanLosses.All(l => l < ExcessLossThreshold) && maxDistances.All(d => d < DistanceThreshold);
        double measuredRate = runRates.Average();
        double rateError = segmentRates.Count > 1
            ? Math.Sqrt(segmentRates.Sum(r => (r - segmentRates.Average()) * (r - segmentRates.Average())) / (segmentRates.Count - 1) / segmentRates.Count)
            : double.NaN;
        bool rateMatches = Math.Abs(measuredRate / predictedRate - 1) <= RateTolerance;

        string F(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
        return
        [
            new Claim("Proposition 5's drift under minibatch noise need not be the gradient of a fixed potential (§5.2; our twisted-valley construction)",
                $"tangential drift per step in [{F(tangential.Min())}, {F(tangential.Max())}] at {drift.RowCount} points; ∮ v dφ = {F(integral)} (∮|v| dφ = {F(absoluteIntegral)}); " +
                $"label-noise shaped Σ = H: ∮ = {F(control)}, max |v| = {F(controlMax)}; on the circle max ‖∇L‖ = {F(drift.Column("gradient_norm").Max())}",
                "the tangential drift has one sign at every point of the circle (so ∮ v dφ ≠ 0 and no potential Φ has v = −dΦ/dφ), the circle consists of critical points at min L " +
                "(‖∇L‖, L − min L below 1e-12), and |∮ v dφ| exceeds 1e9 times the label-noise control (zero up to roundoff in the same computation)",
                notGradient)
            {
                // One sign: the drift along the loop's direction is positive at every point.
                Margin = Margin.Join(Margin.AllAtLeast(tangential.Select(v => Math.Sign(integral) * v), 0, strict: true), Margin.AtMost(offManifold, 1e-12, strict: true),
                    Margin.AtLeast(overControl, 1e9, "×", strict: true)),
            },
            new Claim("Minibatch SGD without label noise cycles around the manifold of global minimizers instead of converging to a point",
                $"final unwrapped angle per run: {string.Join(", ", finalAngles.Select(F))} rad ({string.Join(", ", finalAngles.Select(a => F(Math.Abs(a) / (2 * Math.PI))))} windings); " +
                $"mean excess loss per run: {string.Join(", ", meanLosses.Select(F))}; max distance to the circle: {string.Join(", ", maxDistances.Select(F))}",
                $"every run winds at least once (|angle| ≥ 2π) in the direction of the predicted drift, with mean excess loss L − min L below {ExcessLossThreshold:G2} and every recorded point within {DistanceThreshold} of the circle",
                winds && lowLoss)
            {
                Margin = Margin.Join(Margin.AllAtLeast(finalAngles.Select(a => Math.Sign(integral) * a / (2 * Math.PI)), 1, " windings"),
                    Margin.AllAtMost(meanLosses, ExcessLossThreshold, strict: true), Margin.AllAtMost(maxDistances, DistanceThreshold, strict: true)),
            },
            new Claim("The winding rate is Proposition 5's drift (leading order in λ)",
                $"measured {F(measuredRate)} ± {F(rateError)} rad/step (mean over runs ± batch-means SE over {segmentRates.Count} segments); predicted ∮ v dφ/2π = {F(predictedRate)} rad/step " +
                $"(relative difference {F(measuredRate / predictedRate - 1)})",
                $"the measured rate agrees with the predicted one within {RateTolerance:P0} (the prediction neglects higher-order terms in λ and the multiplicative minibatch noise)",
                rateMatches)
            {
                Margin = Margin.AtMost(Math.Abs(measuredRate / predictedRate - 1), RateTolerance),
            },
        ];
    }
}
