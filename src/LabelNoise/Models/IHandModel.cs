namespace LabelNoise.Models;

/// <summary>
/// A scalar model f(x; θ) written by hand in float64 with its gradient, for the theory models
/// where a tensor framework's per-operation overhead (~40 µs a step) would dominate (~0.3 µs here).
/// </summary>
public interface IHandModel
{
    string Name { get; }
    int FeatureCount { get; }
    int ParameterCount { get; }

    double Predict(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x);

    /// <summary>gradient += scale · ∇θ f(x; θ).</summary>
    void AccumulateGradient(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, double scale, Span<double> gradient);

    /// <summary>hessian (row-major, P×P) += scale · ∇²θ f(x; θ).</summary>
    void AccumulateHessian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, double scale, Span<double> hessian);

    /// <summary>gradient += scale · ∇θ tr(M ∇²θ f(x; θ)): the third derivative of f contracted with M.</summary>
    void AccumulateHessianTraceGradient(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, double[,] m, double scale, Span<double> gradient);

    /// <summary>The documented default starting point.</summary>
    double[] DefaultParameters();
}
