using System.Numerics;
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
public static class Vectors
{
    /// <summary>Σ aᵢbᵢ (SIMD lanes, then the lanes and the tail summed in order).</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (b.Length < a.Length) throw new ArgumentException($"vectors of lengths {a.Length} and {b.Length}");
        int i = 0, width = Vector<double>.Count;
        var sums = Vector<double>.Zero;
        for (; i <= a.Length - width; i += width) sums += new Vector<double>(a[i..]) * new Vector<double>(b[i..]);
        double sum = Vector.Sum(sums);
        for (; i < a.Length; i++) sum += a[i] * b[i];
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

    /// <summary>y ← y + a·x (SIMD).</summary>
    public static void AddScaled(Span<double> y, double a, ReadOnlySpan<double> x)
    {
        if (x.Length < y.Length) throw new ArgumentException($"vectors of lengths {y.Length} and {x.Length}");
        int i = 0, width = Vector<double>.Count;
        var factor = new Vector<double>(a);
        for (; i <= y.Length - width; i += width) (new Vector<double>(y[i..]) + factor * new Vector<double>(x[i..])).CopyTo(y[i..]);
        for (; i < y.Length; i++) y[i] += a * x[i];
    }

    /// <summary>Rademacher signs, 64 from each 64-bit draw: bit j of draw k gives entry 64k + j (0 → +1, 1 → −1).</summary>
    public static void FillRademacher(Span<double> v, RandomStream generator)
    {
        for (int start = 0; start < v.Length; start += 64)
        {
            ulong bits = generator.NextUInt64();
            var block = v.Slice(start, Math.Min(64, v.Length - start));
            for (int j = 0; j < block.Length; j++) block[j] = 1.0 - 2.0 * ((bits >> j) & 1);
        }
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
        // x − x is 0 for finite x and NaN for ±∞ and NaN, so one SIMD pass finds out whether to look closer.
        int k = 0, width = Vector<double>.Count;
        var probe = Vector<double>.Zero;
        for (; k <= result.Length - width; k += width)
        {
            var x = new Vector<double>(result[k..]);
            probe += x - x;
        }
        if (Vector.Sum(probe) == 0 && AllFinite(result[k..])) return;
        for (int i = 0; i < result.Length; i++)
            if (!double.IsFinite(result[i]))
                throw new CurvatureException($"the operator returned a non-finite value ({result[i]}) at index {i}");
    }

    static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (double x in values)
            if (!double.IsFinite(x)) return false;
        return true;
    }

    /// <summary>The median (mean of the middle two for an even count); NaN for none. NaN values are skipped.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
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
