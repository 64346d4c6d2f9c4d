using LabelNoise.Curvature;

namespace LabelNoise.Experiments;

/// <summary>How tr ∇²L and R are measured along an escape run.</summary>
public sealed record CurvatureSettings
{
    /// <summary>
    /// Training examples (the first of the class-balanced set) the smoothed loss L is taken over. A point's cost is proportional to it
    /// (MLP 256-256, one thread: 1.41 s at 500 images, 0.75 s at 250, 36 products each).
    /// </summary>
    public int Examples { get; init; } = 250;

    public CurvatureEstimator Estimator { get; init; } = CurvatureEstimator.Library;

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

    /// <summary>Operator products per measured point (the cost; an HVP costs about two gradients on <see cref="Examples"/> examples).</summary>
    public int Products => Estimator != CurvatureEstimator.HutchinsonAndSlq
        ? GuardSteps + Deflation * ColumnSteps(LanczosSteps) + Probes * LanczosSteps
        : Probes + GuardSteps + Probes * LanczosSteps;

    /// <summary>Lanczos steps for the quadrature of one deflation vector: a Ritz vector is nearly an eigenvector, so a few suffice.</summary>
    internal static int ColumnSteps(int lanczosSteps) => Math.Min(lanczosSteps, 4);
}
