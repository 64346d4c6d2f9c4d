using LabelNoise.Randomness;

namespace LabelNoise.Curvature;

/// <summary>
/// An explicit dense symmetric matrix as an <see cref="ILinearOperator"/>: the operator of tests with
/// known spectra and of small models whose Hessian is formed outright. Stored row-major; immutable.
/// </summary>
public sealed class MatrixOperator : ILinearOperator
{
    /// <summary>Default tolerance on |a_ij − a_ji| relative to the largest entry.</summary>
    public const double DefaultSymmetryTolerance = 1e-10;

    readonly double[] entries;

    /// <summary>Builds the operator from a square symmetric matrix (copied; stored exactly symmetrized).</summary>
    public MatrixOperator(double[,] matrix, double symmetryTolerance = DefaultSymmetryTolerance)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int rows = matrix.GetLength(0), columns = matrix.GetLength(1);
        if (rows != columns) throw new ArgumentException($"the matrix must be square, not {rows}×{columns}", nameof(matrix));
        if (rows == 0) throw new ArgumentException("the matrix must not be empty", nameof(matrix));
        var flat = new double[rows * rows];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < rows; j++)
                flat[i * rows + j] = matrix[i, j];
        Dimension = rows;
        entries = Symmetrized(flat, rows, symmetryTolerance, nameof(matrix));
    }

    MatrixOperator(int dimension, double[] symmetricEntries)
    {
        Dimension = dimension;
        entries = symmetricEntries;
    }

    public int Dimension { get; }

    /// <summary>Entry (row, column).</summary>
    public double this[int row, int column]
    {
        get
        {
            if ((uint)row >= (uint)Dimension) throw new ArgumentOutOfRangeException(nameof(row), row, $"the dimension is {Dimension}");
            if ((uint)column >= (uint)Dimension) throw new ArgumentOutOfRangeException(nameof(column), column, $"the dimension is {Dimension}");
            return entries[row * Dimension + column];
        }
    }

    /// <summary>A copy of the matrix.</summary>
    public double[,] ToArray()
    {
        var copy = new double[Dimension, Dimension];
        for (int i = 0; i < Dimension; i++)
            for (int j = 0; j < Dimension; j++)
                copy[i, j] = entries[i * Dimension + j];
        return copy;
    }

    public void Apply(ReadOnlySpan<double> v, Span<double> result)
    {
        if (v.Length != Dimension) throw new ArgumentException($"the vector has length {v.Length} but the matrix is {Dimension}×{Dimension}", nameof(v));
        if (result.Length != Dimension) throw new ArgumentException($"the result has length {result.Length} but the matrix is {Dimension}×{Dimension}", nameof(result));
        if (v.Overlaps(result)) throw new ArgumentException("the input and result vectors must not overlap", nameof(result));
        var a = entries.AsSpan();
        for (int i = 0; i < Dimension; i++)
            result[i] = Vectors.Dot(a.Slice(i * Dimension, Dimension), v);
    }

    /// <summary>Builds the operator from <paramref name="dimension"/>² row-major entries (copied).</summary>
    public static MatrixOperator FromRowMajor(int dimension, ReadOnlySpan<double> rowMajor, double symmetryTolerance = DefaultSymmetryTolerance)
    {
        if (dimension <= 0) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "the dimension must be positive");
        if (rowMajor.Length != (long)dimension * dimension)
            throw new ArgumentException($"a {dimension}×{dimension} matrix has {(long)dimension * dimension} entries, not {rowMajor.Length}", nameof(rowMajor));
        return new MatrixOperator(dimension, Symmetrized(rowMajor.ToArray(), dimension, symmetryTolerance, nameof(rowMajor)));
    }

    /// <summary>The diagonal matrix diag(<paramref name="diagonal"/>).</summary>
    public static MatrixOperator Diagonal(params ReadOnlySpan<double> diagonal)
    {
        if (diagonal.Length == 0) throw new ArgumentException("the diagonal must not be empty", nameof(diagonal));
        int n = diagonal.Length;
        var flat = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(diagonal[i])) throw new ArgumentException($"diagonal entry {i} is {diagonal[i]}", nameof(diagonal));
            flat[i * n + i] = diagonal[i];
        }
        return new MatrixOperator(n, flat);
    }

    /// <summary>
    /// Q·diag(<paramref name="eigenvalues"/>)·Qᵀ for a Haar-random orthogonal Q drawn from
    /// <paramref name="generator"/>: a dense matrix with exactly the given spectrum.
    /// </summary>
    public static MatrixOperator FromSpectrum(ReadOnlySpan<double> eigenvalues, RandomStream generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (eigenvalues.Length == 0) throw new ArgumentException("the spectrum must not be empty", nameof(eigenvalues));
        return FromEigenDecomposition(eigenvalues, RandomOrthogonal(eigenvalues.Length, generator));
    }

    /// <summary>
    /// Q·diag(<paramref name="eigenvalues"/>)·Qᵀ where the columns of <paramref name="basis"/> are the
    /// (orthonormal) eigenvectors.
    /// </summary>
    public static MatrixOperator FromEigenDecomposition(ReadOnlySpan<double> eigenvalues, double[,] basis, double orthogonalityTolerance = 1e-10)
    {
        ArgumentNullException.ThrowIfNull(basis);
        int n = eigenvalues.Length;
        if (n == 0) throw new ArgumentException("the spectrum must not be empty", nameof(eigenvalues));
        if (basis.GetLength(0) != n || basis.GetLength(1) != n)
            throw new ArgumentException($"the basis must be {n}×{n} to match {n} eigenvalues, not {basis.GetLength(0)}×{basis.GetLength(1)}", nameof(basis));
        for (int i = 0; i < n; i++)
            if (!double.IsFinite(eigenvalues[i])) throw new ArgumentException($"eigenvalue {i} is {eigenvalues[i]}", nameof(eigenvalues));
        for (int p = 0; p < n; p++)
            for (int q = p; q < n; q++)
            {
                double dot = 0;
                for (int k = 0; k < n; k++) dot += basis[k, p] * basis[k, q];
                double expected = p == q ? 1 : 0;
                if (Math.Abs(dot - expected) > orthogonalityTolerance)
                    throw new ArgumentException($"the basis columns are not orthonormal: column {p}·column {q} = {dot}", nameof(basis));
            }
        var flat = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
            {
                double sum = 0;
                for (int k = 0; k < n; k++) sum += basis[i, k] * eigenvalues[k] * basis[j, k];
                flat[i * n + j] = sum;
                flat[j * n + i] = sum;
            }
        return new MatrixOperator(n, flat);
    }

    /// <summary>
    /// A Haar-distributed random orthogonal matrix: Householder QR of a matrix of standard normals
    /// from <paramref name="generator"/> (drawn row by row), with the signs of R's diagonal moved into Q.
    /// </summary>
    public static double[,] RandomOrthogonal(int dimension, RandomStream generator)
    {
        if (dimension <= 0) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "the dimension must be positive");
        ArgumentNullException.ThrowIfNull(generator);
        int n = dimension;
        var a = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                a[i, j] = generator.NextGaussian();

        // Householder QR: for column k, reflector H_k = I − 2 u uᵀ (‖u‖ = 1) zeroes a[k+1.., k].
        var reflectors = new double[n][];
        var rSigns = new double[n];
        for (int k = 0; k < n; k++)
        {
            var u = new double[n];
            double norm = 0;
            for (int i = k; i < n; i++) norm = double.Hypot(norm, a[i, k]);
            if (norm == 0) { rSigns[k] = 1; reflectors[k] = u; continue; } // probability zero
            double alpha = a[k, k] > 0 ? -norm : norm; // R_kk = alpha, chosen to avoid cancellation
            for (int i = k; i < n; i++) u[i] = a[i, k];
            u[k] -= alpha;
            double unorm = 0;
            for (int i = k; i < n; i++) unorm = double.Hypot(unorm, u[i]);
            for (int i = k; i < n; i++) u[i] /= unorm;
            for (int j = k; j < n; j++)
            {
                double dot = 0;
                for (int i = k; i < n; i++) dot += u[i] * a[i, j];
                for (int i = k; i < n; i++) a[i, j] -= 2 * dot * u[i];
            }
            rSigns[k] = alpha >= 0 ? 1 : -1;
            reflectors[k] = u;
        }

        // Q = H_0 H_1 … H_{n−1}: apply the reflectors to the identity from the last one back.
        var q = new double[n, n];
        for (int i = 0; i < n; i++) q[i, i] = 1;
        for (int k = n - 1; k >= 0; k--)
        {
            var u = reflectors[k];
            for (int j = 0; j < n; j++)
            {
                double dot = 0;
                for (int i = k; i < n; i++) dot += u[i] * q[i, j];
                if (dot == 0) continue;
                for (int i = k; i < n; i++) q[i, j] -= 2 * dot * u[i];
            }
        }
        // A = QR with R_kk of either sign; Q·diag(sign R_kk) is Haar distributed.
        for (int j = 0; j < n; j++)
            if (rSigns[j] < 0)
                for (int i = 0; i < n; i++) q[i, j] = -q[i, j];
        return q;
    }

    static double[] Symmetrized(double[] flat, int n, double tolerance, string parameter)
    {
        if (!(tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "the symmetry tolerance must be non-negative");
        double largest = 0;
        for (int i = 0; i < flat.Length; i++)
        {
            if (!double.IsFinite(flat[i])) throw new ArgumentException($"entry ({i / n}, {i % n}) is {flat[i]}", parameter);
            largest = Math.Max(largest, Math.Abs(flat[i]));
        }
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double upper = flat[i * n + j], lower = flat[j * n + i];
                if (Math.Abs(upper - lower) > tolerance * largest)
                    throw new ArgumentException($"the matrix is not symmetric: entry ({i}, {j}) = {upper} but ({j}, {i}) = {lower}", parameter);
                double mean = 0.5 * (upper + lower);
                flat[i * n + j] = mean;
                flat[j * n + i] = mean;
            }
        return flat;
    }
}
