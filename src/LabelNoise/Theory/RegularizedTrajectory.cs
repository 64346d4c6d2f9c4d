namespace LabelNoise.Theory;

/// <summary>Why a regularized trajectory stopped.</summary>
public enum TrajectoryStop
{
    /// <summary>All requested steps were taken.</summary>
    Completed,

    /// <summary>R = +∞ at the last point (η'·λ_max(∇²L) ≥ 2): ∇L̃ is undefined there, so no further step exists.</summary>
    RegularizerInfinite,

    /// <summary>A loss, gradient or parameter became NaN or infinite.</summary>
    NonFinite,
}

/// <summary>One recorded point Φ_k of the regularized trajectory.</summary>
/// <param name="Step">k.</param>
/// <param name="Parameters">Φ_k (a read-only copy).</param>
/// <param name="Loss">L(Φ_k).</param>
/// <param name="Regularizer">R(Φ_k); +∞ when η'·λ_max ≥ 2.</param>
/// <param name="RegularizedLoss">L̃(Φ_k) = L + λR.</param>
/// <param name="RegularizedGradientNorm">‖∇L̃(Φ_k)‖; NaN where R = +∞ (no gradient).</param>
public sealed record TrajectoryPoint(
    int Step,
    IReadOnlyList<double> Parameters,
    double Loss,
    double Regularizer,
    double RegularizedLoss,
    double RegularizedGradientNorm);

/// <summary>
/// The regularized trajectory Φ_0, …, Φ_k of eq. (2), as far as it went.
/// </summary>
/// <param name="Points">Φ_k at k = 0, recordEvery, 2·recordEvery, … and always at the last point reached.</param>
/// <param name="RegularizedLosses">L̃(Φ_k) for every k = 0..<see cref="StepsTaken"/> (the last is +∞ when R became infinite).</param>
/// <param name="StepsRequested">The number of steps asked for.</param>
/// <param name="StepsTaken">Gradient steps taken: the index of the last point reached.</param>
/// <param name="StepSize">The step size used (η of eq. 2 unless overridden).</param>
/// <param name="Lambda">λ of L̃ = L + λR.</param>
/// <param name="Stop">Why it stopped.</param>
/// <param name="StopStep">The step at which it stopped (the last point reached, or the step whose parameters became non-finite).</param>
/// <param name="StopReason">The stop, in words, with the step and the offending value.</param>
public sealed record RegularizedTrajectoryResult(
    IReadOnlyList<TrajectoryPoint> Points,
    IReadOnlyList<double> RegularizedLosses,
    int StepsRequested,
    int StepsTaken,
    double StepSize,
    double Lambda,
    TrajectoryStop Stop,
    int StopStep,
    string StopReason)
{
    /// <summary>The last point reached.</summary>
    public TrajectoryPoint Final => Points[^1];
}

/// <summary>
/// Gradient descent on the regularized loss, eq. (2) of Damian, Ma &amp; Lee (2021):
/// Φ_0(θ) = θ, Φ_{k+1}(θ) = Φ_k(θ) − η∇L̃(Φ_k(θ)), with L̃ = L + λR computed exactly by
/// <see cref="RegularizedLoss"/> (dense Hessian; small models only). This is the deterministic path that
/// label-noise SGD follows up to the Ornstein–Uhlenbeck fluctuation ξ (Lemma 1).
/// </summary>
public static class RegularizedTrajectory
{
    /// <summary>
    /// Runs <paramref name="steps"/> steps of eq. (2) from <paramref name="start"/>. The step size is
    /// η = <c>loss.Settings.LearningRate</c> (the η in R) unless <paramref name="stepSize"/> is given. The
    /// objective's point is moved during the run and restored afterwards, even on an exception.
    /// </summary>
    public static RegularizedTrajectoryResult Run(RegularizedLoss loss, ReadOnlySpan<double> start, int steps, int recordEvery = 1, double? stepSize = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        var objective = loss.Objective;
        if (start.Length != objective.Dimension)
            throw new ArgumentException($"the start has {start.Length} entries but the objective has {objective.Dimension} parameters", nameof(start));
        for (int i = 0; i < start.Length; i++)
            if (!double.IsFinite(start[i])) throw new ArgumentException($"start entry {i} is {start[i]}", nameof(start));
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "the number of steps must be non-negative");
        if (recordEvery < 1) throw new ArgumentOutOfRangeException(nameof(recordEvery), recordEvery, "recordEvery must be at least 1");
        double eta = stepSize ?? loss.Settings.LearningRate;
        if (!(eta > 0) || double.IsInfinity(eta))
            throw new ArgumentOutOfRangeException(nameof(stepSize), eta, "the step size must be positive and finite");

        var original = objective.GetParameters();
        var theta = start.ToArray();
        var points = new List<TrajectoryPoint>();
        var regularizedLosses = new List<double>();
        try
        {
            for (int k = 0; ; k++)
            {
                objective.SetParameters(theta);
                var point = loss.Evaluate(withGradient: true);
                regularizedLosses.Add(point.RegularizedLoss);
                bool last = k == steps;

                if (!point.IsFinite)
                {
                    points.Add(Record(k, theta, point));
                    return Finish(TrajectoryStop.RegularizerInfinite, k, k,
                        $"R = +infinity at step {k}: eta'*lambda_max = {loss.Settings.EffectiveLearningRate * point.HessianEigenvalues.Max():G6} >= 2");
                }
                var gradient = point.RegularizedGradient!;
                int bad = Array.FindIndex(gradient, g => !double.IsFinite(g));
                if (!double.IsFinite(point.RegularizedLoss) || bad >= 0)
                {
                    points.Add(Record(k, theta, point));
                    string what = bad >= 0 ? $"gradient entry {bad} is {gradient[bad]}" : $"the regularized loss is {point.RegularizedLoss}";
                    return Finish(TrajectoryStop.NonFinite, k, k, $"non-finite at step {k}: {what}");
                }
                if (k % recordEvery == 0 || last) points.Add(Record(k, theta, point));
                if (last) return Finish(TrajectoryStop.Completed, k, k, $"completed {steps} steps");

                var next = new double[theta.Length];
                for (int i = 0; i < theta.Length; i++) next[i] = theta[i] - eta * gradient[i]; // eq. (2)
                int badParameter = Array.FindIndex(next, x => !double.IsFinite(x));
                if (badParameter >= 0)
                {
                    if (points[^1].Step != k) points.Add(Record(k, theta, point));
                    return Finish(TrajectoryStop.NonFinite, k, k + 1, $"non-finite at step {k + 1}: parameter {badParameter} is {next[badParameter]}");
                }
                theta = next;
            }
        }
        finally
        {
            objective.SetParameters(original);
        }

        RegularizedTrajectoryResult Finish(TrajectoryStop stop, int taken, int stopStep, string reason) =>
            new(points.AsReadOnly(), regularizedLosses.AsReadOnly(), steps, taken, eta, loss.Lambda, stop, stopStep, reason);
    }

    static TrajectoryPoint Record(int step, double[] theta, RegularizedPoint point)
    {
        double norm = point.RegularizedGradient is { } g ? Math.Sqrt(g.Sum(x => x * x)) : double.NaN;
        return new TrajectoryPoint(step, Array.AsReadOnly((double[])theta.Clone()), point.Loss, point.Regularizer, point.RegularizedLoss, norm);
    }
}
