using LabelNoise.Curvature;

namespace LabelNoise.Tests.Curvature;

/// <summary>Counts operator applications and checks that inputs are never modified.</summary>
sealed class CountingOperator(ILinearOperator inner) : ILinearOperator
{
    public int Products { get; private set; }
    public int Dimension => inner.Dimension;

    public void Apply(ReadOnlySpan<double> v, Span<double> result)
    {
        var copy = v.ToArray();
        Products++;
        inner.Apply(v, result);
        Assert.Equal(copy, v.ToArray());
    }
}

/// <summary>Plain dense helpers for closed-form checks.</summary>
static class Dense
{
    public static double[,] Multiply(double[,] x, double[,] y)
    {
        int rows = x.GetLength(0), inner = x.GetLength(1), columns = y.GetLength(1);
        var result = new double[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
            {
                double sum = 0;
                for (int k = 0; k < inner; k++) sum += x[i, k] * y[k, j];
                result[i, j] = sum;
            }
        return result;
    }

    public static double[,] Transpose(double[,] m)
    {
        var result = new double[m.GetLength(1), m.GetLength(0)];
        for (int i = 0; i < m.GetLength(0); i++)
            for (int j = 0; j < m.GetLength(1); j++) result[j, i] = m[i, j];
        return result;
    }

    /// <summary>Q·diag(values)·Qᵀ.</summary>
    public static double[,] FromEigen(double[,] q, double[] values)
    {
        int n = values.Length;
        var d = new double[n, n];
        for (int i = 0; i < n; i++) d[i, i] = values[i];
        return Multiply(Multiply(q, d), Transpose(q));
    }

    public static double MaxAbsDifference(double[,] x, double[,] y)
    {
        double max = 0;
        for (int i = 0; i < x.GetLength(0); i++)
            for (int j = 0; j < x.GetLength(1); j++) max = Math.Max(max, Math.Abs(x[i, j] - y[i, j]));
        return max;
    }

    public static double MaxAbs(double[,] x)
    {
        double max = 0;
        foreach (double v in x) max = Math.Max(max, Math.Abs(v));
        return max;
    }

    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
