using LabelNoise.Curvature;
using LabelNoise.Measurement;
using LabelNoise.Theory;

namespace LabelNoise.Experiments;

/// <summary>How tr ∇²L and R are measured along an escape run.</summary>
public sealed record CurvatureSettings
{
    /// <summary>
    /// Training examples (the first of the class-balanced set) the smoothed loss L is taken over. A point's cost is proportional to it
    /// (MLP 256-256, one thread: 1.41 s at 500 images, 0.75 s at 250, 36 products each).
    /// </summary>
    public int Examples { get; init; } = 250;

    /// <summary>Rademacher probes.</summary>
    public int Probes { get; init; } = 16;

    /// <summary>Lanczos steps per probe (Gauss quadrature exact for polynomials of degree ≤ 2·steps − 1).</summary>
    public int LanczosSteps { get; init; } = 4;

    /// <summary>Lanczos steps of the λ_max guard, which also gives the deflation vectors.</summary>
    public int GuardSteps { get; init; } = 4;

    /// <summary>Top Ritz vectors treated exactly (0: none).</summary>
    public int Deflation { get; init; }

    public void Validate()
    {
        if (Examples < 1) throw new ArgumentOutOfRangeException(nameof(Examples), Examples, "at least one example is needed");
        if (Probes < 2) throw new ArgumentOutOfRangeException(nameof(Probes), Probes, "a standard error needs at least 2 probes");
        if (LanczosSteps < 2) throw new ArgumentOutOfRangeException(nameof(LanczosSteps), LanczosSteps, "at least 2 Lanczos steps are needed");
        if (GuardSteps < 2) throw new ArgumentOutOfRangeException(nameof(GuardSteps), GuardSteps, "at least 2 Lanczos steps are needed");
        if (Deflation < 0 || Deflation > GuardSteps) throw new ArgumentOutOfRangeException(nameof(Deflation), Deflation, "between 0 and the guard's steps");
    }

    /// <summary>Relative standard error at which R's probes stop before the budget is spent.</summary>
    public const double TargetRelativeStandardError = 0.02;

    /// <summary>
    /// The request behind every curvature number of escape and momentum: the library's best estimator (auto: tr ∇²L exactly for a
    /// ReLU MLP, else adaptively deflated probes; R = tr ∇²L/4 + SLQ on the remainder r(x) − x/4), stopping at
    /// <see cref="TargetRelativeStandardError"/>.
    /// </summary>
    public CurvatureRequest Request(RegularizerSettings regularizer)
    {
        Validate();
        return new CurvatureRequest
        {
            Estimator = CurvatureEstimator.Auto,
            TargetRelativeStandardError = TargetRelativeStandardError,
            Probes = Probes,
            MinSamples = Math.Min(Probes, 8),
            Regularizer = regularizer,
            LanczosSteps = LanczosSteps,
            GuardSteps = GuardSteps,
            Deflation = Deflation,
        };
    }

    /// <summary>Hessian-vector products per measured point at most (the cost; one costs about two gradients on <see cref="Examples"/> examples).</summary>
    public int Products => GuardSteps + Deflation * LanczosSteps + Probes * LanczosSteps;
}
