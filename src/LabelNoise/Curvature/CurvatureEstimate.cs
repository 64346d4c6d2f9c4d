namespace LabelNoise.Curvature;

/// <summary>
/// An estimate of a spectral sum (tr A, tr f(A)) by one of the <see cref="CurvatureEstimator"/>s: the value,
/// its standard error (0 when computed exactly), the samples and operator products it used, and why it stopped.
/// </summary>
/// <param name="Estimator">The estimator's name as the command line spells it, with details (e.g. how many vectors deflated the probes).</param>
/// <param name="Estimate">The estimate.</param>
/// <param name="StandardError">Its standard error (0 for an exact value; NaN when it could not be estimated).</param>
/// <param name="Samples">Probe samples the standard error comes from (0 for an exact value).</param>
/// <param name="Products">Operator applications used (Hessian-vector products for a Hessian).</param>
/// <param name="Stop">Why the estimator stopped.</param>
/// <param name="Detail">What the stop sentence leaves out: probes, deflation, the part estimated around a trace (may be empty).</param>
public sealed record CurvatureEstimate(string Estimator, double Estimate, double StandardError, int Samples, int Products, EstimateStop Stop, string Detail)
{
    /// <summary>StandardError / |Estimate| (NaN for an estimate of 0).</summary>
    public double RelativeStandardError => Estimate == 0 ? double.NaN : StandardError / Math.Abs(Estimate);

    /// <summary>Whether the value is exact or reached the requested relative standard error.</summary>
    public bool ReachedTarget => Stop.ReachedTarget();

    /// <summary>
    /// For R: set when the guard's λ_max is below 2(1+β)/η but its residual bound reaches it, so R may be +∞
    /// (one sentence; null otherwise).
    /// </summary>
    public string? Caution { get; init; }

    /// <summary>The stop in words: its sentence, then the detail in parentheses.</summary>
    public string StopReason => Detail.Length == 0 ? Stop.Sentence() : $"{Stop.Sentence()} ({Detail})";

    /// <summary>An exact value: no samples, standard error 0.</summary>
    public static CurvatureEstimate Exact(string estimator, double value, int products, string detail) =>
        new(estimator, value, 0, 0, products, EstimateStop.Exact, detail);
}
