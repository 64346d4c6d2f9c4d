using LabelNoise.Curvature;
using LabelNoise.Theory;

namespace LabelNoise.Measurement;

/// <summary>
/// What <see cref="CurvatureMeasurer"/> should find at a point: tr ∇²L, and R(θ) when <see cref="Regularizer"/> is
/// given, each to <see cref="TargetRelativeStandardError"/> (null: spend the budget) within a budget of
/// <see cref="Probes"/>, by <see cref="Estimator"/>. The one request of the library, the command line, the
/// experiments and the benchmark.
/// </summary>
public sealed record CurvatureRequest
{
    public CurvatureEstimator Estimator { get; init; } = CurvatureEstimator.Auto;
    public double? TargetRelativeStandardError { get; init; } = 0.01;
    /// <summary>
    /// The budget: at most this many Hessian-vector products for the trace (a plain probe costs one), and as many SLQ probes for R
    /// (each of <see cref="LanczosSteps"/> products) on top of its λ_max guard run.
    /// </summary>
    public int Probes { get; init; } = 20_000;
    /// <summary>Samples before the target is checked (see <see cref="EstimationBudget.DefaultMinSamples"/>).</summary>
    public int MinSamples { get; init; } = EstimationBudget.DefaultMinSamples;
    /// <summary>η and β of R; null: the trace only.</summary>
    public RegularizerSettings? Regularizer { get; init; }
    /// <summary>Whether tr ∇²L is wanted. False (with a <see cref="Regularizer"/>): R only, where R's estimator does not go through the trace.</summary>
    public bool Trace { get; init; } = true;
    /// <summary>Lanczos steps per SLQ probe for R: its integrand is smooth below the stability limit, so a few suffice.</summary>
    public int LanczosSteps { get; init; } = 10;
    /// <summary>Lanczos steps of the λ_max run that guards R = +∞ and gives the deflation vectors.</summary>
    public int GuardSteps { get; init; } = 30;
    /// <summary>
    /// Top vectors that deflate the probes: the guard's Ritz vectors for R (deflated-slq, and R's remainder after the trace), and
    /// the sketch's columns for the trace by hutch++ (at least 1). For R's remainder with a target, at most this many: only
    /// the vectors whose share of a probe's variance is worth the quadrature they cost (see <see cref="CurvatureMeasurer"/>).
    /// </summary>
    public int Deflation { get; init; } = 10;

    public EstimationBudget Budget => new(TargetRelativeStandardError, Probes, MinSamples);

    public void Validate()
    {
        if (TargetRelativeStandardError is double r && !(r > 0 && double.IsFinite(r)))
            throw new SettingException($"the target relative standard error must be positive and finite, not {r}");
        if (Probes < 1) throw new SettingException($"the budget needs at least 1 probe, not {Probes}");
        if (MinSamples < 2) throw new SettingException($"a standard error needs at least 2 samples, not {MinSamples}");
        if (LanczosSteps < 1) throw new SettingException($"the SLQ needs at least 1 Lanczos step, not {LanczosSteps}");
        if (GuardSteps < 1) throw new SettingException($"the λ_max run needs at least 1 Lanczos step, not {GuardSteps}");
        if (Deflation < 0) throw new SettingException($"the number of deflation vectors must be ≥ 0, not {Deflation}");
        if (!Trace && Regularizer is null) throw new SettingException("a request for neither the trace nor R asks for nothing");
    }
}
