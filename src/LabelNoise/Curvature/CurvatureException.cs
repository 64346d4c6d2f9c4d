namespace LabelNoise.Curvature;

/// <summary>
/// A curvature algorithm could not produce a result: an eigen-solver did not converge, or an operator
/// returned non-finite values. Invalid arguments throw <see cref="ArgumentException"/> instead.
/// </summary>
public sealed class CurvatureException(string message) : Exception(message);
