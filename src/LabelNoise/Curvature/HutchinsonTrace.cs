using LabelNoise.Randomness;

namespace LabelNoise.Curvature;

/// <summary>
/// A Hutchinson estimate of a trace: the mean of the probe samples zᵀAz, its standard error (sample
/// standard deviation / √probes; NaN for a single probe), and why the estimator stopped.
/// </summary>
public sealed record HutchinsonEstimate(
    double Estimate,
    double StandardError,
    int Probes,
    int Products,
    EstimateStop Stop,
    double[] Samples);

/// <summary>
/// How many probes to use: a fixed count (<see cref="Fixed"/>), or probes until the standard error is
/// at most <see cref="TargetRelativeStandardError"/>·|estimate|, checked from <see cref="MinProbes"/>
/// on and giving up at <see cref="MaxProbes"/>.
/// </summary>
public sealed record ProbeOptions
{
    public ProbeOptions(int minProbes, int maxProbes, double? targetRelativeStandardError)
    {
        if (minProbes < 1) throw new ArgumentOutOfRangeException(nameof(minProbes), minProbes, "at least one probe is needed");
        if (maxProbes < minProbes) throw new ArgumentOutOfRangeException(nameof(maxProbes), maxProbes, $"the maximum must be at least the minimum ({minProbes})");
        if (targetRelativeStandardError is double target)
        {
            if (!(target > 0) || double.IsInfinity(target))
                throw new ArgumentOutOfRangeException(nameof(targetRelativeStandardError), target, "the target relative standard error must be positive and finite");
            if (minProbes < 2) throw new ArgumentOutOfRangeException(nameof(minProbes), minProbes, "a standard-error target needs at least two probes");
        }
        MinProbes = minProbes;
        MaxProbes = maxProbes;
        TargetRelativeStandardError = targetRelativeStandardError;
    }

    public int MinProbes { get; }
    public int MaxProbes { get; }
    public double? TargetRelativeStandardError { get; }

    /// <summary>
    /// When the estimate is one part of a sum S = estimate + <see cref="Offset"/> whose other part has standard
    /// error <see cref="OtherStandardError"/> (independent), the target applies to S: stop once
    /// √(SE² + other²) ≤ target·|estimate + offset|. Both 0 (the default): the target applies to the estimate itself.
    /// </summary>
    public double Offset { get; init; }

    /// <inheritdoc cref="Offset"/>
    public double OtherStandardError { get; init; }

    /// <summary>
    /// Probes from which the target may already be met, before <see cref="MinProbes"/>: there the standard error is
    /// first multiplied by <see cref="StudentT.TwoSigmaInflation"/> (so that ±2 of it still covers what ±2 known standard
    /// errors cover), and the target applies to that; an estimate that stops there reports the inflated one
    /// (<see cref="ReportedStandardError"/>). Null (the default): never before MinProbes.
    /// </summary>
    public int? EarlyProbes { get; init; }

    /// <summary>The standard error an estimate stopped after <paramref name="probes"/> samples reports: inflated before <see cref="MinProbes"/>.</summary>
    public double ReportedStandardError(int probes, double standardError) =>
        EarlyProbes is int early && probes >= Math.Max(2, early) && probes < MinProbes ? standardError * StudentT.TwoSigmaInflation(probes) : standardError;

    /// <summary>Exactly <paramref name="probes"/> probes.</summary>
    public static ProbeOptions Fixed(int probes) => new(probes, probes, null);

    /// <summary>Probes until standard error ≤ target·|estimate| (at least min, at most max probes).</summary>
    public static ProbeOptions UntilRelativeStandardError(double target, int minProbes = 10, int maxProbes = 1000) =>
        new(minProbes, maxProbes, target);

    /// <summary>Whether to stop after <paramref name="probes"/> samples, and why if so.</summary>
    internal EstimateStop? ShouldStop(int probes, double estimate, double standardError)
    {
        if (TargetRelativeStandardError is null)
            return probes >= MaxProbes ? EstimateStop.BudgetSpent : null;
        bool early = EarlyProbes is int first && probes >= Math.Max(2, first) && probes < MinProbes;
        double reported = ReportedStandardError(probes, standardError);
        if ((probes >= MinProbes || early) && Math.Sqrt(reported * reported + OtherStandardError * OtherStandardError)
            <= TargetRelativeStandardError.Value * Math.Abs(estimate + Offset))
            return EstimateStop.TargetReached;
        return probes >= MaxProbes ? EstimateStop.BudgetBeforeTarget : null;
    }
}

/// <summary>
/// Hutchinson's estimator tr A ≈ mean of zᵀAz over Rademacher probes z (z_i = ±1). Each sample is
/// unbiased with variance 2·Σ_{i≠j} a_ij², so it is exact (zero variance) for diagonal matrices.
/// Probe i draws its Dimension signs from the generator in index order.
/// </summary>
public static class HutchinsonTrace
{
    public static HutchinsonEstimate Estimate(ILinearOperator op, RandomStream generator, ProbeOptions options)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(options);
        int n = op.Dimension;
        var z = new double[n];
        var az = new double[n];
        var samples = new List<double>();
        while (true)
        {
            Vectors.FillRademacher(z, generator);
            Vectors.ApplyChecked(op, z, az);
            samples.Add(Vectors.Dot(z, az));
            var (mean, standardError) = Vectors.MeanAndStandardError(samples);
            var stop = options.ShouldStop(samples.Count, mean, standardError);
            if (stop is not null)
                return new HutchinsonEstimate(mean, standardError, samples.Count, samples.Count, stop.Value, samples.ToArray());
        }
    }

    /// <summary>Exactly <paramref name="probes"/> probes.</summary>
    public static HutchinsonEstimate Estimate(ILinearOperator op, RandomStream generator, int probes) =>
        Estimate(op, generator, ProbeOptions.Fixed(probes));
}
