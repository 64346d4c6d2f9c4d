namespace LabelNoise.Models;

/// <summary>
/// The quadratically parametrized linear model f(x; u, v) = ⟨u⊙u − v⊙v, x⟩ (HaoChen et al.).
/// Parameters: u₁..u_d then v₁..v_d. Default start u = 1, v = 0, which is HaoChen's ⟨v⊙v, x⟩ from v = 1.
/// </summary>
public sealed class QuadraticModel(int featureCount) : IHandModel
{
    public string Name => "quadratic";
    public int FeatureCount { get; } = featureCount > 0 ? featureCount : throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "needs at least one feature");
    public int ParameterCount => 2 * FeatureCount;

    /// <summary>The effective linear weights w = u⊙u − v⊙v.</summary>
    public double[] EffectiveWeights(ReadOnlySpan<double> parameters)
    {
        var w = new double[FeatureCount];
        for (int j = 0; j < w.Length; j++) w[j] = parameters[j] * parameters[j] - parameters[FeatureCount + j] * parameters[FeatureCount + j];
        return w;
    }

    public double Predict(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x)
    {
        int d = FeatureCount;
        double f = 0;
        for (int j = 0; j < d; j++)
        {
            double u = parameters[j], v = parameters[d + j];
            f += (u * u - v * v) * x[j];
        }
        return f;
    }

    public void AccumulateGradient(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, double scale, Span<double> gradient)
    {
        int d = FeatureCount;
        double twice = 2 * scale;
        for (int j = 0; j < d; j++)
        {
            gradient[j] += twice * parameters[j] * x[j];
            gradient[d + j] -= twice * parameters[d + j] * x[j];
        }
    }

    public void AccumulateHessian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, double scale, Span<double> hessian)
    {
        int d = FeatureCount, p = ParameterCount;
        for (int j = 0; j < d; j++)
        {
            hessian[j * p + j] += 2 * scale * x[j];
            hessian[(d + j) * p + d + j] -= 2 * scale * x[j];
        }
    }

    /// <summary>The third derivative of f is zero.</summary>
    public void AccumulateHessianTraceGradient(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, double[,] m, double scale, Span<double> gradient) { }

    public double[] DefaultParameters()
    {
        var theta = new double[ParameterCount];
        Array.Fill(theta, 1.0, 0, FeatureCount);
        return theta;
    }
}
