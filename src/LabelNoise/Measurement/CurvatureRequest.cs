using LabelNoise.Curvature;
using LabelNoise.Theory;

namespace LabelNoise.Measurement;

/// <summary>
/// What <see cref="CurvatureMeasurer.Measure"/> should find at a point: tr ∇²L, and R(θ) when
/// <see cref="Regularizer"/> is given, each to <see cref="TargetRelativeStandardError"/> (null: spend the
/// budget) within <see cref="MaxProducts"/> Hessian-vector products per quantity, by <see cref="Estimator"/>.
/// </summary>
public sealed record CurvatureRequest
{
    public TraceEstimator Estimator { get; init; } = TraceEstimator.Auto;
    public double? TargetRelativeStandardError { get; init; } = 0.01;
    /// <summary>Products for the trace at most; R gets as many samples (each of <see cref="LanczosSteps"/> products) on top of its λ_max guard run.</summary>
    public int MaxProducts { get; init; } = 20_000;
    public int MinSamples { get; init; } = EstimationBudget.DefaultMinSamples;
    /// <summary>η and β of R; null: the trace only.</summary>
    public RegularizerSettings? Regularizer { get; init; }
    /// <summary>Lanczos steps per SLQ probe for R.</summary>
    public int LanczosSteps { get; init; } = 10;
    /// <summary>Lanczos steps of the λ_max run that guards R = +∞ and gives the deflation vectors.</summary>
    public int GuardSteps { get; init; } = 30;
    /// <summary>Top Ritz vectors of that run that deflate R's probes (deflated-slq, and R's remainder after the trace).</summary>
    public int Deflation { get; init; } = 10;
    /// <summary>Hutch++'s sketch size.</summary>
    public int Sketch { get; init; } = 10;

    public EstimationBudget Budget => new(TargetRelativeStandardError, MaxProducts, MinSamples);

    public void Validate()
    {
        _ = Budget;
        if (LanczosSteps < 1) throw new SettingException($"the SLQ needs at least 1 Lanczos step, not {LanczosSteps}");
        if (GuardSteps < 1) throw new SettingException($"the λ_max run needs at least 1 Lanczos step, not {GuardSteps}");
        if (Deflation < 0) throw new SettingException($"the number of deflation vectors must be ≥ 0, not {Deflation}");
        if (Sketch < 1) throw new SettingException($"Hutch++'s sketch needs at least 1 column, not {Sketch}");
    }
}
