using LabelNoise.Curvature;

namespace LabelNoise.Experiments;

/// <summary>tr ∇²L and R at a point, each with its standard error over probes, and the Lanczos λ_max.</summary>
public sealed record CurvatureNumbers(double Trace, double TraceStandardError, double Regularizer, double RegularizerStandardError, double LargestEigenvalue, int Products);
