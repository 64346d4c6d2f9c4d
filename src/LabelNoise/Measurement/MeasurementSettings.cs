using LabelNoise.Curvature;
using LabelNoise.Theory;

namespace LabelNoise.Measurement;

/// <summary>
/// The training hyperparameters the theory's quantities depend on (η, σ, B, β), and how to estimate:
/// exactly from the dense Hessian (small models), or by <see cref="Estimator"/> with at most <see cref="Probes"/>
/// probes' worth of products per quantity and <see cref="LanczosSteps"/> Lanczos steps from <see cref="Seed"/>.
/// </summary>
public sealed record MeasurementSettings
{
    public double LearningRate { get; init; } = 0.1;
    /// <summary>σ of the label noise; 1 for label flipping (σ² = 1 at a global minimum of the smoothed loss).</summary>
    public double NoiseStdDev { get; init; } = 1;
    public int BatchSize { get; init; } = 1;
    public double Momentum { get; init; }
    public bool Exact { get; init; }
    public int Probes { get; init; } = 20;
    /// <summary>Stop the probes early once the relative standard error of each estimate is below this (null: use all).</summary>
    public double? TargetRelativeStandardError { get; init; }
    public int LanczosSteps { get; init; } = 30;
    /// <summary>Top Ritz vectors of the λ_max run that deflate the trace and R probes (0: plain Hutchinson and SLQ).</summary>
    public int Deflation { get; init; } = 10;
    public ulong Seed { get; init; }
    /// <summary>How tr ∇²L and R are estimated (<see cref="CurvatureMeasurer"/>; auto: the best available).</summary>
    public TraceEstimator Estimator { get; init; } = TraceEstimator.Auto;

    public double Lambda => ImplicitRegularizer.Lambda(LearningRate, NoiseStdDev, BatchSize, Momentum);

    public RegularizerSettings Regularizer => new(LearningRate, Momentum);

    public void Validate()
    {
        try { _ = Lambda; } // checks η, σ, B, β with clear messages
        catch (ArgumentOutOfRangeException e) { throw new SettingException(e.Message.Split(" (Parameter")[0], e.ParamName); }
        if (Probes < 1) throw new SettingException($"--probes must be at least 1, not {Probes}");
        if (LanczosSteps < 1) throw new SettingException($"--lanczos-steps must be at least 1, not {LanczosSteps}");
        if (Deflation < 0) throw new SettingException($"--deflate must be ≥ 0, not {Deflation}");
        if (TargetRelativeStandardError is double r && !(r > 0 && r < 1)) throw new SettingException($"--rse must lie in (0, 1), not {r}");
    }
}
