namespace LabelNoise.Curvature;

/// <summary>Small dense matrix arithmetic (row-major double[,]) shared by the theory code and experiments.</summary>
public static class DenseMatrix
{
    public static double[,] Multiply(double[,] x, double[,] y)
    {
        int rows = x.GetLength(0), inner = x.GetLength(1), columns = y.GetLength(1);
        if (y.GetLength(0) != inner) throw new ArgumentException($"cannot multiply {rows}×{inner} by {y.GetLength(0)}×{columns}");
        var result = new double[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int k = 0; k < inner; k++)
            {
                double xik = x[i, k];
                if (xik == 0) continue;
                for (int j = 0; j < columns; j++) result[i, j] += xik * y[k, j];
            }
        return result;
    }

    public static double[,] Transpose(double[,] m)
    {
        int rows = m.GetLength(0), columns = m.GetLength(1);
        var result = new double[columns, rows];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) result[j, i] = m[i, j];
        return result;
    }

    public static double[,] Add(double[,] x, double[,] y)
    {
        var result = (double[,])x.Clone();
        int rows = x.GetLength(0), columns = x.GetLength(1);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) result[i, j] += y[i, j];
        return result;
    }

    public static double[,] Scale(double scale, double[,] m)
    {
        var result = (double[,])m.Clone();
        int rows = m.GetLength(0), columns = m.GetLength(1);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) result[i, j] *= scale;
        return result;
    }

    /// <summary>I − scale·M.</summary>
    public static double[,] IdentityMinus(double scale, double[,] m)
    {
        var result = Scale(-scale, m);
        for (int i = 0; i < m.GetLength(0); i++) result[i, i] += 1;
        return result;
    }

    /// <summary>Replaces M by (M + Mᵀ)/2 in place.</summary>
    public static void Symmetrize(double[,] m)
    {
        int d = m.GetLength(0);
        for (int i = 0; i < d; i++)
            for (int j = i + 1; j < d; j++)
            {
                double mean = 0.5 * (m[i, j] + m[j, i]);
                m[i, j] = mean;
                m[j, i] = mean;
            }
    }

    /// <summary>The square matrix whose j-th column is <paramref name="columns"/>[j].</summary>
    public static double[,] FromColumns(double[][] columns)
    {
        int d = columns.Length;
        var m = new double[d, d];
        for (int j = 0; j < d; j++)
            for (int i = 0; i < d; i++) m[i, j] = columns[j][i];
        return m;
    }

    public static double Trace(double[,] m)
    {
        double s = 0;
        for (int i = 0; i < m.GetLength(0); i++) s += m[i, i];
        return s;
    }

    /// <summary>‖X − Y‖_F (‖X‖_F without <paramref name="y"/>).</summary>
    public static double Frobenius(double[,] x, double[,]? y = null)
    {
        double s = 0;
        for (int i = 0; i < x.GetLength(0); i++)
            for (int j = 0; j < x.GetLength(1); j++)
            {
                double v = x[i, j] - (y?[i, j] ?? 0);
                s += v * v;
            }
        return Math.Sqrt(s);
    }
}
