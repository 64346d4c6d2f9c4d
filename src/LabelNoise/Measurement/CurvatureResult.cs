using LabelNoise.Curvature;
using LabelNoise.Objectives;

namespace LabelNoise.Measurement;

/// <summary>
/// What <see cref="CurvatureMeasurer.Measure(IObjective, CurvatureRequest, Randomness.RandomStream)"/> found at a point: tr ∇²L (null when
/// <see cref="CurvatureRequest.Trace"/> was false and R did not need it) and R(θ) (null when no
/// <see cref="CurvatureRequest.Regularizer"/> was given), each with its estimate, standard error, samples, products and stop;
/// λ_max from the guard run (a lower bound, with its residual bound) and the number of its Ritz vectors that deflated R's probes, when R
/// was asked for; per-block traces when the trace was exact; all products and the wall time.
/// </summary>
public sealed record CurvatureResult(
    CurvatureEstimate? Trace,
    CurvatureEstimate? Regularizer,
    double? LargestEigenvalue,
    double? LargestEigenvalueResidual,
    int DeflationVectors,
    IReadOnlyList<(string Block, double Trace)> ExactBlockTraces,
    int Products,
    double Seconds);
