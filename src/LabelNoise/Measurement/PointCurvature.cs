using LabelNoise.Curvature;

namespace LabelNoise.Measurement;

/// <summary>
/// tr ∇²L and R(θ) at one point (<see cref="CurvatureMeasurer.Measure"/>): each with its estimate, standard
/// error, products and stop reason; λ_max from the guard run (a lower bound, with its residual bound) when R
/// was asked for; all products and the wall time.
/// </summary>
public sealed record PointCurvature(
    CurvatureEstimate Trace,
    CurvatureEstimate? Regularizer,
    double? LargestEigenvalue,
    double? LargestEigenvalueResidual,
    IReadOnlyList<(string Block, double Trace)> ExactBlockTraces,
    int Products,
    double Seconds);
