using LabelNoise.Curvature;

namespace LabelNoise.Theory;

/// <summary>
/// The exact stationary covariance of Algorithm 1 around an interpolating minimum of a linear model.
/// </summary>
/// <param name="Covariance">C = lim E[(θ − θ*)(θ − θ*)ᵀ] (d×d, supported on span G); meaningful only when <see cref="MeanSquareStable"/>.</param>
/// <param name="Rank">The rank r of G: the equation is solved for an r×r matrix in an orthonormal basis of span G.</param>
/// <param name="MeanSquareStable">True when the solution is positive definite on span G, which holds exactly when
/// the iteration C ← E_b[(I − ηH_b)C(I − ηH_b)] + Q contracts (its spectral radius is below 1), i.e. when the
/// second moments of Algorithm 1 stay bounded.</param>
/// <param name="SmallestEigenvalue">The smallest eigenvalue of C/λ on span G (positive when stable).</param>
/// <param name="RelativeResidual">‖C − E_b[(I − ηH_b)C(I − ηH_b)] − ηλG‖_F / ‖C‖_F in the original coordinates.</param>
/// <param name="StopReason">What was solved and the verdict on stability.</param>
public sealed record LinearSgdStationary(double[,] Covariance, int Rank, bool MeanSquareStable, double SmallestEigenvalue, double RelativeResidual, string StopReason);

/// <summary>
/// Algorithm 1 on a linear model f(x; θ) = ⟨θ, x⟩ at an interpolating minimum θ* (yᵢ = ⟨θ*, xᵢ⟩) is exactly
/// linear in δ = θ − θ*: δ_{k+1} = (I − ηH_b)δ_k + (η/B) Σ_{i∈b} εᵢxᵢ, with H_b = (1/B) Σ_{i∈b} xᵢxᵢᵀ and the
/// batch b drawn from [n]^B (with replacement). Its stationary covariance therefore solves, minibatch noise
/// included,
/// <code>C = E_b[(I − ηH_b) C (I − ηH_b)] + ηλG,   λ = ησ²/B,  G = (1/n) Σ xᵢxᵢᵀ,</code>
/// where for B i.i.d. draws E_b[H_b C H_b] = w·(1/n) Σᵢ xᵢxᵢᵀ C xᵢxᵢᵀ + (1 − w)·G C G with w = 1/B.
/// Equivalently GC + CG − η E_b[H_b C H_b] = λG. With w = 0 (B → ∞ at fixed λ) or all xᵢ equal this is the
/// Lyapunov equation of eq. (4), C = (I − ηG)C(I − ηG) + ηλG, whose solution is Proposition 2's
/// λΠ_G(2I − ηG)⁻¹; for finite B the minibatch term adds a relative correction of order η·w·‖x‖².
/// The equation is solved directly: vectorized over the r(r+1)/2 entries of a symmetric r×r matrix in an
/// orthonormal basis of span G (r = rank G ≤ <see cref="MaxRank"/>) by Gaussian elimination.
/// </summary>
public static class LinearSgdCovariance
{
    /// <summary>The largest rank of G solved for (the dense system has r(r+1)/2 unknowns).</summary>
    public const int MaxRank = 40;

    /// <summary>Eigenvalues of G at or below this fraction of the largest count as zero.</summary>
    public const double RankTolerance = 1e-10;

    /// <summary>G = (1/n) Σ xᵢxᵢᵀ.</summary>
    public static double[,] GaussNewton(IReadOnlyList<double[]> inputs)
    {
        int d = CheckInputs(inputs);
        var g = new double[d, d];
        foreach (var x in inputs)
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++) g[a, b] += x[a] * x[b] / inputs.Count;
        return g;
    }

    /// <summary>
    /// E_b[H_b C H_b] for a batch of B i.i.d. uniform draws from the inputs, H_b = (1/B) Σ_{i∈b} xᵢxᵢᵀ:
    /// w·(1/n) Σᵢ (xᵢᵀCxᵢ) xᵢxᵢᵀ + (1 − w)·GCG with w = 1/B (the B diagonal pairs of the double sum give the
    /// fourth-moment term, the B(B − 1) off-diagonal pairs are independent and give GCG).
    /// </summary>
    public static double[,] BatchHessianSecondMoment(IReadOnlyList<double[]> inputs, double[,] c, double minibatchWeight)
    {
        int d = CheckInputs(inputs);
        if (c.GetLength(0) != d || c.GetLength(1) != d) throw new ArgumentException($"C must be {d}×{d}, not {c.GetLength(0)}×{c.GetLength(1)}", nameof(c));
        CheckWeight(minibatchWeight);
        return SecondMoment(inputs, GaussNewton(inputs), c, minibatchWeight);
    }

    /// <summary>The stationary covariance of Algorithm 1 (±σ or any mean-zero label noise of variance σ²) with batch size B.</summary>
    public static LinearSgdStationary ForAlgorithm1(IReadOnlyList<double[]> inputs, double learningRate, double noiseStdDev, int batchSize) =>
        Solve(inputs, learningRate, ImplicitRegularizer.Lambda(learningRate, noiseStdDev, batchSize), 1.0 / batchSize);

    /// <summary>
    /// Solves C = E_b[(I − ηH_b)C(I − ηH_b)] + ηλG with E_b[H_b C H_b] weighted by <paramref name="minibatchWeight"/> = w
    /// (1/B for Algorithm 1; 0 for the full-batch Lyapunov equation of eq. 4).
    /// </summary>
    public static LinearSgdStationary Solve(IReadOnlyList<double[]> inputs, double learningRate, double lambda, double minibatchWeight)
    {
        int d = CheckInputs(inputs);
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate must be positive and finite");
        if (!(lambda >= 0) || double.IsInfinity(lambda))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must be non-negative and finite");
        CheckWeight(minibatchWeight);

        var g = GaussNewton(inputs);
        var eigen = SymmetricEigen.Decompose(g);
        double largest = eigen.Values.Max();
        if (!(largest > 0)) throw new ArgumentException("the inputs are all zero: G = 0", nameof(inputs));
        var basis = Enumerable.Range(0, d).Where(k => eigen.Values[k] > RankTolerance * largest).Select(k => eigen.Vectors[k]).ToArray();
        int r = basis.Length;
        if (r > MaxRank) throw new ArgumentException($"rank G = {r} exceeds the dense solver's limit of {MaxRank}", nameof(inputs));

        // Coordinates in span G: zᵢ = Uᵀxᵢ; G_r = UᵀGU.
        var reduced = inputs.Select(x => basis.Select(u => Dot(u, x)).ToArray()).ToArray();
        var gr = GaussNewton(reduced);

        // Unknowns: the entries (a ≤ b) of the symmetric C̄ with GC̄ + C̄G − ηE[H C̄ H] = G (C = λC̄).
        var pairs = new List<(int A, int B)>();
        for (int a = 0; a < r; a++)
            for (int b = a; b < r; b++) pairs.Add((a, b));
        int m = pairs.Count;
        var system = new double[m, m];
        var rhs = new double[m];
        var unit = new double[r, r];
        for (int k = 0; k < m; k++)
        {
            var (a, b) = pairs[k];
            unit[a, b] = unit[b, a] = 1;
            var image = Operator(reduced, gr, unit, learningRate, minibatchWeight);
            unit[a, b] = unit[b, a] = 0;
            for (int e = 0; e < m; e++) system[e, k] = image[pairs[e].A, pairs[e].B];
        }
        for (int e = 0; e < m; e++) rhs[e] = gr[pairs[e].A, pairs[e].B];
        var solution = SolveDense(system, rhs);

        var unitCovariance = new double[r, r];
        for (int k = 0; k < m; k++) unitCovariance[pairs[k].A, pairs[k].B] = unitCovariance[pairs[k].B, pairs[k].A] = solution[k];
        var spectrum = SymmetricEigen.Eigenvalues(unitCovariance);
        double smallest = spectrum[0], top = spectrum[^1];
        bool stable = top > 0 && smallest > 1e-12 * top;

        var covariance = new double[d, d];
        for (int a = 0; a < r; a++)
            for (int b = 0; b < r; b++)
            {
                double value = lambda * unitCovariance[a, b];
                if (value == 0) continue;
                for (int i = 0; i < d; i++)
                    for (int j = 0; j < d; j++) covariance[i, j] += basis[a][i] * value * basis[b][j];
            }
        for (int i = 0; i < d; i++)
            for (int j = 0; j < i; j++) covariance[i, j] = covariance[j, i] = 0.5 * (covariance[i, j] + covariance[j, i]);

        double residual = Residual(inputs, g, covariance, learningRate, lambda, minibatchWeight);
        string reason = stable
            ? $"solved the {m}×{m} system on span G (rank {r}); the solution is positive definite there: mean-square stable"
            : $"solved the {m}×{m} system on span G (rank {r}), but the solution is not positive definite (smallest eigenvalue {smallest:G3} of C/lambda): Algorithm 1 is not mean-square stable at eta = {learningRate:G6}, w = {minibatchWeight:G6}";
        return new LinearSgdStationary(covariance, r, stable, smallest, residual, reason);
    }

    /// <summary>𝓛(C) = GC + CG − η E_b[H_b C H_b].</summary>
    static double[,] Operator(IReadOnlyList<double[]> inputs, double[,] g, double[,] c, double learningRate, double weight)
    {
        int d = g.GetLength(0);
        var gc = DenseMatrix.Multiply(g, c);
        var second = SecondMoment(inputs, g, c, weight);
        var result = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) result[i, j] = gc[i, j] + gc[j, i] - learningRate * second[i, j];
        return result;
    }

    static double[,] SecondMoment(IReadOnlyList<double[]> inputs, double[,] g, double[,] c, double weight)
    {
        int d = g.GetLength(0), n = inputs.Count;
        var result = new double[d, d];
        if (weight > 0)
            foreach (var x in inputs)
            {
                double quadratic = 0;
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < d; b++) quadratic += x[a] * c[a, b] * x[b];
                double scale = weight * quadratic / n;
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < d; b++) result[a, b] += scale * x[a] * x[b];
            }
        if (weight < 1)
        {
            var gcg = DenseMatrix.Multiply(DenseMatrix.Multiply(g, c), g);
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++) result[a, b] += (1 - weight) * gcg[a, b];
        }
        return result;
    }

    /// <summary>‖C − E_b[(I − ηH_b)C(I − ηH_b)] − ηλG‖_F/‖C‖_F, expanded as η(GC + CG) − η²E[HCH] − ηλG.</summary>
    static double Residual(IReadOnlyList<double[]> inputs, double[,] g, double[,] c, double learningRate, double lambda, double weight)
    {
        int d = g.GetLength(0);
        var image = Operator(inputs, g, c, learningRate, weight);
        double residual = 0, norm = 0;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double e = learningRate * (image[i, j] - lambda * g[i, j]);
                residual += e * e;
                norm += c[i, j] * c[i, j];
            }
        return norm == 0 ? (residual == 0 ? 0 : double.PositiveInfinity) : Math.Sqrt(residual / norm);
    }

    /// <summary>Gaussian elimination with partial pivoting (the matrix is small and dense).</summary>
    static double[] SolveDense(double[,] matrix, double[] rhs)
    {
        int m = rhs.Length;
        var a = (double[,])matrix.Clone();
        var x = (double[])rhs.Clone();
        double scale = 0;
        foreach (double v in a) scale = Math.Max(scale, Math.Abs(v));
        for (int col = 0; col < m; col++)
        {
            int pivot = col;
            for (int row = col + 1; row < m; row++)
                if (Math.Abs(a[row, col]) > Math.Abs(a[pivot, col])) pivot = row;
            if (Math.Abs(a[pivot, col]) <= 1e-13 * scale)
                throw new ArgumentException("the stationary equation is singular: no unique stationary covariance (eta*g = 2 for some direction?)");
            if (pivot != col)
            {
                for (int k = 0; k < m; k++) (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
                (x[col], x[pivot]) = (x[pivot], x[col]);
            }
            for (int row = col + 1; row < m; row++)
            {
                double factor = a[row, col] / a[col, col];
                if (factor == 0) continue;
                for (int k = col; k < m; k++) a[row, k] -= factor * a[col, k];
                x[row] -= factor * x[col];
            }
        }
        for (int row = m - 1; row >= 0; row--)
        {
            double sum = x[row];
            for (int k = row + 1; k < m; k++) sum -= a[row, k] * x[k];
            x[row] = sum / a[row, row];
        }
        return x;
    }

    static int CheckInputs(IReadOnlyList<double[]> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) throw new ArgumentException("at least one input is needed", nameof(inputs));
        int d = inputs[0]?.Length ?? throw new ArgumentException("input 0 is null", nameof(inputs));
        if (d == 0) throw new ArgumentException("the inputs are empty vectors", nameof(inputs));
        for (int i = 0; i < inputs.Count; i++)
        {
            var x = inputs[i] ?? throw new ArgumentException($"input {i} is null", nameof(inputs));
            if (x.Length != d) throw new ArgumentException($"input {i} has {x.Length} entries but input 0 has {d}", nameof(inputs));
            foreach (double v in x)
                if (!double.IsFinite(v)) throw new ArgumentException($"input {i} has a non-finite entry ({v})", nameof(inputs));
        }
        return d;
    }

    static void CheckWeight(double minibatchWeight)
    {
        if (!(minibatchWeight >= 0 && minibatchWeight <= 1)) throw new ArgumentOutOfRangeException(nameof(minibatchWeight), minibatchWeight, "the minibatch weight 1/B must be in [0, 1]");
    }

    static double Dot(double[] u, double[] v)
    {
        double s = 0;
        for (int i = 0; i < u.Length; i++) s += u[i] * v[i];
        return s;
    }

}
