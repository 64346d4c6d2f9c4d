using LabelNoise.Curvature;
using LabelNoise.Theory;

namespace LabelNoise.Measurement;

/// <summary>
/// The training hyperparameters the theory's quantities depend on (η, σ, B, β: required, since R and λ belong to
/// the run that used them), and how to estimate: exactly from the dense Hessian (small models), or by
/// <see cref="Estimator"/> within a budget of <see cref="Probes"/> (<see cref="CurvatureRequest.Probes"/>) and
/// <see cref="LanczosSteps"/> Lanczos steps from <see cref="Seed"/>.
/// </summary>
public sealed record MeasurementSettings
{
    /// <summary>η of the run whose R is wanted.</summary>
    public required double LearningRate { get; init; }
    /// <summary>σ of the label noise; 1 for label flipping (σ² = 1 at a global minimum of the smoothed loss).</summary>
    public required double NoiseStdDev { get; init; }
    /// <summary>B of the run (λ = ησ²/(B(1−β))).</summary>
    public required int BatchSize { get; init; }
    public double Momentum { get; init; }
    public bool Exact { get; init; }
    /// <summary>The budget, as <see cref="CurvatureRequest.Probes"/>; also the probes of the per-block and Gauss–Newton traces when they are not exact.</summary>
    public int Probes { get; init; } = 20;
    /// <summary>Stop the probes early once the relative standard error of each estimate is below this (null: use all).</summary>
    public double? TargetRelativeStandardError { get; init; }
    /// <summary>Lanczos steps of the λ_max run and of each SLQ probe (λ_max is reported, so its run is as long as R's probes).</summary>
    public int LanczosSteps { get; init; } = 30;
    /// <summary>As <see cref="CurvatureRequest.Deflation"/> (0: plain Hutchinson and SLQ).</summary>
    public int Deflation { get; init; } = 10;
    public ulong Seed { get; init; }
    /// <summary>How tr ∇²L and R are estimated (<see cref="CurvatureMeasurer"/>; auto: the best available).</summary>
    public CurvatureEstimator Estimator { get; init; } = CurvatureEstimator.Auto;

    public double Lambda => ImplicitRegularizer.Lambda(LearningRate, NoiseStdDev, BatchSize, Momentum);

    public RegularizerSettings Regularizer => new(LearningRate, Momentum);

    /// <summary>The curvature request these settings make for an objective of <paramref name="dimension"/> parameters.</summary>
    public CurvatureRequest CurvatureRequest(int dimension)
    {
        int steps = Math.Min(LanczosSteps, dimension);
        return new CurvatureRequest
        {
            Estimator = Estimator,
            TargetRelativeStandardError = TargetRelativeStandardError,
            Probes = Math.Max(Probes, 2),
            MinSamples = Math.Max(2, Math.Min(EstimationBudget.DefaultMinSamples, Probes)),
            Regularizer = Regularizer,
            LanczosSteps = steps,
            GuardSteps = steps,
            Deflation = Deflation,
        };
    }

    public void Validate()
    {
        try { _ = Lambda; } // checks η, σ, B, β with clear messages
        catch (ArgumentOutOfRangeException e) { throw new SettingException(e.Message.Split(" (Parameter")[0], e.ParamName); }
        if (Probes < 1) throw new SettingException($"the probe budget must be at least 1, not {Probes}");
        if (LanczosSteps < 1) throw new SettingException($"the Lanczos steps must be at least 1, not {LanczosSteps}");
        if (Deflation < 0) throw new SettingException($"the number of deflation vectors must be ≥ 0, not {Deflation}");
        if (TargetRelativeStandardError is double r && !(r > 0 && r < 1)) throw new SettingException($"the target relative standard error must lie in (0, 1), not {r}");
    }
}
