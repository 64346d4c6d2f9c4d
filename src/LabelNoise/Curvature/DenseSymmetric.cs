using static TorchSharp.torch;

namespace LabelNoise.Curvature;

/// <summary>Dense symmetric matrices of small models: built from an operator, decomposed by LAPACK (float64).</summary>
public static class DenseSymmetric
{
    /// <summary>The matrix of a symmetric operator, column by column (n products), symmetrized.</summary>
    public static double[,] FromOperator(ILinearOperator op)
    {
        int n = op.Dimension;
        var matrix = new double[n, n];
        var unit = new double[n];
        var column = new double[n];
        for (int j = 0; j < n; j++)
        {
            unit[j] = 1;
            op.Apply(unit, column);
            unit[j] = 0;
            for (int i = 0; i < n; i++) matrix[i, j] = column[i];
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++) matrix[i, j] = matrix[j, i] = 0.5 * (matrix[i, j] + matrix[j, i]);
        return matrix;
    }

    /// <summary>Eigenvalues (ascending) and eigenvectors (columns) by LAPACK's syevd.</summary>
    public static (double[] Values, double[,] Vectors) Eigh(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        if (matrix.GetLength(1) != n) throw new ArgumentException($"the matrix is {n}×{matrix.GetLength(1)}, not square", nameof(matrix));
        using var scope = NewDisposeScope();
        var (w, v) = linalg.eigh(tensor(matrix, dtype: ScalarType.Float64));
        var flat = v.contiguous().data<double>().ToArray();
        var vectors = new double[n, n];
        Buffer.BlockCopy(flat, 0, vectors, 0, flat.Length * sizeof(double));
        return (w.data<double>().ToArray(), vectors);
    }

    /// <summary>f(A) = V diag(f(λ)) Vᵀ from a decomposition.</summary>
    public static double[,] Function(double[] values, double[,] vectors, Func<double, double> f)
    {
        int n = values.Length;
        var fx = values.Select(f).ToArray();
        var result = new double[n, n];
        for (int a = 0; a < n; a++)
            for (int b = a; b < n; b++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += vectors[a, k] * fx[k] * vectors[b, k];
                result[a, b] = result[b, a] = s;
            }
        return result;
    }
}
