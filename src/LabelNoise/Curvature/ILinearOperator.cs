using LabelNoise.Randomness;

namespace LabelNoise.Curvature;

/// <summary>
/// A symmetric linear operator over flat vectors of length <see cref="Dimension"/>: all that the
/// curvature algorithms (Hutchinson trace, Lanczos, stochastic Lanczos quadrature) see of a Hessian
/// or Gauss–Newton matrix. Implementations must treat <c>v</c> as read-only and write every entry of
/// <c>result</c>; the two spans never overlap when called by this library.
/// </summary>
public interface ILinearOperator
{
    /// <summary>Length of the vectors the operator acts on.</summary>
    int Dimension { get; }

    /// <summary>Writes A·v into <paramref name="result"/>.</summary>
    void Apply(ReadOnlySpan<double> v, Span<double> result);
}

/// <summary>Conveniences over <see cref="ILinearOperator"/>.</summary>
public static class LinearOperatorExtensions
{
    /// <summary>A·v in a new array (the input is not modified).</summary>
    public static double[] Apply(this ILinearOperator op, ReadOnlySpan<double> v)
    {
        ArgumentNullException.ThrowIfNull(op);
        Vectors.CheckLength(op, v.Length, nameof(v));
        var result = new double[op.Dimension];
        op.Apply(v, result);
        return result;
    }
}

/// <summary>Small dense vector kernels shared by the curvature algorithms.</summary>
internal static class Vectors
{
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    public static double Norm(ReadOnlySpan<double> a)
    {
        // Scaled to avoid overflow/underflow for extreme entries.
        double scale = 0;
        for (int i = 0; i < a.Length; i++) scale = Math.Max(scale, Math.Abs(a[i]));
        if (scale == 0 || double.IsInfinity(scale)) return scale;
        double sum = 0;
        for (int i = 0; i < a.Length; i++) { double t = a[i] / scale; sum += t * t; }
        return scale * Math.Sqrt(sum);
    }

    /// <summary>y ← y + a·x.</summary>
    public static void AddScaled(Span<double> y, double a, ReadOnlySpan<double> x)
    {
        for (int i = 0; i < y.Length; i++) y[i] += a * x[i];
    }

    /// <summary>Fills <paramref name="v"/> with independent Rademacher (±1) entries, in index order.</summary>
    public static void FillRademacher(Span<double> v, Generator generator)
    {
        for (int i = 0; i < v.Length; i++) v[i] = generator.NextSign();
    }

    public static void CheckLength(ILinearOperator op, int length, string parameter)
    {
        if (length != op.Dimension)
            throw new ArgumentException($"the vector has length {length} but the operator has dimension {op.Dimension}", parameter);
    }

    /// <summary>Applies the operator after checking that it wrote only finite numbers.</summary>
    public static void ApplyChecked(ILinearOperator op, ReadOnlySpan<double> v, Span<double> result)
    {
        op.Apply(v, result);
        for (int i = 0; i < result.Length; i++)
            if (!double.IsFinite(result[i]))
                throw new CurvatureException($"the operator returned a non-finite value ({result[i]}) at index {i}");
    }

    /// <summary>Sample mean and standard error of the mean (NaN for fewer than two samples).</summary>
    public static (double Mean, double StandardError) MeanAndStandardError(IReadOnlyList<double> samples)
    {
        int count = samples.Count;
        if (count == 0) return (double.NaN, double.NaN);
        double mean = 0;
        for (int i = 0; i < count; i++) mean += (samples[i] - mean) / (i + 1);
        if (count < 2) return (mean, double.NaN);
        double sumSquares = 0;
        for (int i = 0; i < count; i++) { double d = samples[i] - mean; sumSquares += d * d; }
        return (mean, Math.Sqrt(sumSquares / (count - 1) / count));
    }
}
