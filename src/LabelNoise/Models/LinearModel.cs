namespace LabelNoise.Models;

/// <summary>f(x; θ) = ⟨θ, x⟩. Parameters: θ₁..θ_d. Default start θ = 0.</summary>
public sealed class LinearModel(int featureCount) : IHandModel
{
    public string Name => "linear";
    public int FeatureCount { get; } = featureCount > 0 ? featureCount : throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "needs at least one feature");
    public int ParameterCount => FeatureCount;

    public double Predict(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x)
    {
        double f = 0;
        for (int j = 0; j < x.Length; j++) f += parameters[j] * x[j];
        return f;
    }

    public void AccumulateGradient(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, double scale, Span<double> gradient)
    {
        for (int j = 0; j < x.Length; j++) gradient[j] += scale * x[j];
    }

    public void AccumulateHessian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, double scale, Span<double> hessian) { }

    /// <summary>The third derivative of f is zero.</summary>
    public void AccumulateHessianTraceGradient(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, double[,] m, double scale, Span<double> gradient) { }

    public double[] DefaultParameters() => new double[ParameterCount];
}
