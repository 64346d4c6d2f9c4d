using System.Numerics;

namespace LabelNoise.Models;

/// <summary>
/// The quadratically parametrized linear model f(x; u, v) = ⟨u⊙u − v⊙v, x⟩ (HaoChen et al.).
/// Parameters: u₁..u_d then v₁..v_d. Default start u = 1, v = 0, which is HaoChen's ⟨v⊙v, x⟩ from v = 1.
/// Prediction and gradient use SIMD vectors (the hot loop of Algorithm 1 on this model).
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
        int d = FeatureCount, j = 0;
        var u = parameters[..d];
        var v = parameters.Slice(d, d);
        var sum = Vector<double>.Zero;
        for (; j <= d - Vector<double>.Count; j += Vector<double>.Count)
        {
            var uj = new Vector<double>(u[j..]);
            var vj = new Vector<double>(v[j..]);
            sum += (uj * uj - vj * vj) * new Vector<double>(x[j..]);
        }
        double f = Vector.Sum(sum);
        for (; j < d; j++) f += (u[j] * u[j] - v[j] * v[j]) * x[j];
        return f;
    }

    public void AccumulateGradient(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, double scale, Span<double> gradient)
    {
        int d = FeatureCount, j = 0;
        double twice = 2 * scale;
        var u = parameters[..d];
        var v = parameters.Slice(d, d);
        var gu = gradient[..d];
        var gv = gradient.Slice(d, d);
        var factor = new Vector<double>(twice);
        for (; j <= d - Vector<double>.Count; j += Vector<double>.Count)
        {
            var scaled = factor * new Vector<double>(x[j..]);
            (new Vector<double>(gu[j..]) + scaled * new Vector<double>(u[j..])).CopyTo(gu[j..]);
            (new Vector<double>(gv[j..]) - scaled * new Vector<double>(v[j..])).CopyTo(gv[j..]);
        }
        for (; j < d; j++)
        {
            gu[j] += twice * u[j] * x[j];
            gv[j] -= twice * v[j] * x[j];
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
