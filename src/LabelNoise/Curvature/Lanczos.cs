using System.Buffers;
using LabelNoise.Randomness;

namespace LabelNoise.Curvature;

/// <summary>
/// The outcome of m Lanczos steps from a start vector v: the tridiagonal T_m (diagonal
/// <see cref="Alphas"/>, off-diagonal <see cref="Betas"/>) with A·Q_m = Q_m·T_m + β_m·q_{m+1}·e_mᵀ,
/// and T_m's eigen-decomposition.
/// </summary>
/// <param name="Steps">Lanczos steps taken (= size of T; fewer than asked at breakdown or when asked for more than the dimension).</param>
/// <param name="Products">Operator applications used.</param>
/// <param name="StopReason">One of <see cref="Lanczos.StepsCompleted"/>, <see cref="Lanczos.InvariantSubspace"/>.</param>
/// <param name="InvariantSubspaceFound">True at breakdown (β ≈ 0): the Krylov space is invariant, Ritz pairs are exact.</param>
/// <param name="Alphas">Diagonal of T (length Steps).</param>
/// <param name="Betas">Off-diagonal of T (length Steps − 1).</param>
/// <param name="ResidualNorm">β_m = ‖r_m‖, the norm of the residual after the last step.</param>
/// <param name="RitzValues">Eigenvalues of T in ascending order.</param>
/// <param name="RitzWeights">Squared first components τ_k² of T's unit eigenvectors (they sum to 1): Gauss quadrature weights for the unit start vector.</param>
/// <param name="RitzResiduals">‖A·y_k − θ_k·y_k‖ = β_m·|s_{m,k}| for each Ritz pair: some eigenvalue of A lies within it of θ_k.</param>
/// <param name="RitzVectors">Unit Ritz vectors y_k = Q_m·s_k (each of length Dimension), or null unless requested.</param>
/// <param name="StartNorm">‖v‖ of the start vector.</param>
public sealed record LanczosResult(
    int Steps,
    int Products,
    string StopReason,
    bool InvariantSubspaceFound,
    double[] Alphas,
    double[] Betas,
    double ResidualNorm,
    double[] RitzValues,
    double[] RitzWeights,
    double[] RitzResiduals,
    double[][]? RitzVectors,
    double StartNorm);

/// <summary>
/// Eigenvalue estimates from Lanczos: <see cref="Values"/> ordered as asked (largest first for top-k),
/// each with its residual bound (some eigenvalue of A lies within it) and Ritz vector if requested.
/// </summary>
public sealed record EigenvalueEstimate(
    double[] Values,
    double[] ResidualBounds,
    double[][]? Vectors,
    int Steps,
    int Products,
    string StopReason);

/// <summary>
/// Lanczos tridiagonalization with full reorthogonalization (classical Gram–Schmidt, applied twice),
/// so that the basis stays orthogonal to working precision and no spurious copies of converged Ritz
/// values appear. Memory: Steps + 1 vectors of the operator's dimension.
/// <para>
/// From a single start vector Lanczos sees each <em>distinct</em> eigenvalue (with a non-zero
/// component in the start vector) once: the Krylov space has at most as many dimensions as A has
/// distinct eigenvalues, and breakdown (β ≈ 0) reports that an invariant subspace was found.
/// In floating point a dense matrix's repeated eigenvalues are split by roundoff, and the residual at
/// the invariant subspace grows with the number of distinct eigenvalues (measured: β ≈ 1e-12 relative
/// with 10 distinct values, 1e-10 with 20, 1e-5 with 37 evenly spaced ones); when it stays above the
/// tolerance, Lanczos continues and later finds further copies of repeated eigenvalues.
/// </para>
/// </summary>
public static class Lanczos
{
    /// <summary>Stop reason: all requested steps were taken.</summary>
    public const string StepsCompleted = "steps completed";

    /// <summary>Stop reason: β ≈ 0, the Krylov space is an invariant subspace (Ritz values are exact eigenvalues).</summary>
    public const string InvariantSubspace = "breakdown: invariant subspace found (beta ~ 0)";

    /// <summary>Breakdown is declared when β_j ≤ tolerance·‖T‖ (‖T‖ estimated from the α's and β's seen).</summary>
    public const double DefaultBreakdownTolerance = 1e-10;

    /// <summary>
    /// Runs up to <paramref name="steps"/> Lanczos steps from <paramref name="start"/> (not modified;
    /// any non-zero vector: it is normalized). Asking for more steps than the dimension takes at most
    /// Dimension steps.
    /// </summary>
    public static LanczosResult Run(
        ILinearOperator op,
        ReadOnlySpan<double> start,
        int steps,
        bool computeRitzVectors = false,
        double breakdownTolerance = DefaultBreakdownTolerance)
    {
        ArgumentNullException.ThrowIfNull(op);
        Vectors.CheckLength(op, start.Length, nameof(start));
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Lanczos needs at least one step");
        if (!(breakdownTolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(breakdownTolerance), breakdownTolerance, "the breakdown tolerance must be non-negative");
        for (int i = 0; i < start.Length; i++)
            if (!double.IsFinite(start[i])) throw new ArgumentException($"start vector entry {i} is {start[i]}", nameof(start));
        double startNorm = Vectors.Norm(start);
        if (startNorm == 0) throw new ArgumentException("the start vector must not be zero", nameof(start));

        int n = op.Dimension;
        int maxSteps = Math.Min(steps, n);
        // Basis vectors and w come from the shared pool: fresh multi-megabyte arrays cost a page fault per 4 KB on
        // first touch, which for SLQ's many short runs was a third of the time of a Hessian-vector product.
        var pool = ArrayPool<double>.Shared;
        var basis = new List<double[]>(maxSteps + 1);
        var wArray = pool.Rent(n);
        try
        {
            Span<double> Q(int i) => basis[i].AsSpan(0, n);
            var w = wArray.AsSpan(0, n);
            basis.Add(pool.Rent(n));
            for (int i = 0; i < n; i++) Q(0)[i] = start[i] / startNorm;

            var alphas = new List<double>(maxSteps);
            var betas = new List<double>(maxSteps);
            double normEstimate = 0, residualNorm = 0;
            bool breakdown = false;
            int products = 0;

            for (int j = 0; j < maxSteps; j++)
            {
                var q = Q(j);
                Vectors.ApplyChecked(op, q, w);
                products++;
                // Three-term recurrence: w = A q_j − α_j q_j − β_{j−1} q_{j−1}.
                double alpha = Vectors.Dot(q, w);
                Vectors.AddScaled(w, -alpha, q);
                if (j > 0) Vectors.AddScaled(w, -betas[j - 1], Q(j - 1));
                // Full reorthogonalization against q_0..q_j, twice ("twice is enough").
                for (int pass = 0; pass < 2; pass++)
                    for (int i = 0; i <= j; i++)
                    {
                        double c = Vectors.Dot(Q(i), w);
                        Vectors.AddScaled(w, -c, Q(i));
                        if (i == j) alpha += c;
                    }
                alphas.Add(alpha);
                double beta = Vectors.Norm(w);
                normEstimate = Math.Max(normEstimate, Math.Abs(alpha) + beta + (j > 0 ? betas[j - 1] : 0));
                residualNorm = beta;
                if (beta <= breakdownTolerance * normEstimate)
                {
                    breakdown = true;
                    break;
                }
                if (j == maxSteps - 1) break;
                betas.Add(beta);
                basis.Add(pool.Rent(n));
                var next = Q(j + 1);
                for (int i = 0; i < n; i++) next[i] = w[i] / beta;
            }

            int m = alphas.Count;
            var tri = SymmetricEigen.Tridiagonal(alphas.ToArray(), betas.ToArray(), computeVectors: computeRitzVectors);
            var weights = tri.FirstComponents.Select(s => s * s).ToArray();
            var residuals = tri.LastComponents.Select(s => residualNorm * Math.Abs(s)).ToArray();
            double[][]? ritzVectors = null;
            if (computeRitzVectors)
            {
                ritzVectors = new double[m][];
                for (int k = 0; k < m; k++)
                {
                    var y = new double[n];
                    var s = tri.Vectors![k];
                    for (int i = 0; i < m; i++) Vectors.AddScaled(y, s[i], Q(i));
                    ritzVectors[k] = y;
                }
            }
            return new LanczosResult(
                m, products, breakdown ? InvariantSubspace : StepsCompleted, breakdown,
                alphas.ToArray(), betas.ToArray(), residualNorm,
                tri.Values, weights, residuals, ritzVectors, startNorm);
        }
        finally
        {
            pool.Return(wArray);
            foreach (var vector in basis) pool.Return(vector);
        }
    }

    /// <summary>Runs Lanczos from a Rademacher (±1) start vector drawn from <paramref name="generator"/>.</summary>
    public static LanczosResult Run(
        ILinearOperator op,
        RandomStream generator,
        int steps,
        bool computeRitzVectors = false,
        double breakdownTolerance = DefaultBreakdownTolerance)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(generator);
        var start = new double[op.Dimension];
        Vectors.FillRademacher(start, generator);
        return Run(op, start, steps, computeRitzVectors, breakdownTolerance);
    }

    /// <summary>
    /// The <paramref name="count"/> largest Ritz values (largest first) after <paramref name="steps"/>
    /// steps from a random start. At breakdown fewer values may exist; all are returned then. Repeated
    /// eigenvalues appear once (see the class remarks).
    /// </summary>
    public static EigenvalueEstimate TopEigenvalues(ILinearOperator op, int count, int steps, RandomStream generator, bool computeVectors = false)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "ask for at least one eigenvalue");
        var run = Run(op, generator, steps, computeVectors);
        int taken = Math.Min(count, run.Steps);
        var indices = Enumerable.Range(0, run.Steps).Reverse().Take(taken).ToArray();
        return Select(run, indices);
    }

    /// <summary>The largest Ritz value after <paramref name="steps"/> steps (a lower bound on λ_max).</summary>
    public static EigenvalueEstimate LargestEigenvalue(ILinearOperator op, int steps, RandomStream generator, bool computeVector = false) =>
        TopEigenvalues(op, 1, steps, generator, computeVector);

    /// <summary>The smallest Ritz value after <paramref name="steps"/> steps (an upper bound on λ_min).</summary>
    public static EigenvalueEstimate SmallestEigenvalue(ILinearOperator op, int steps, RandomStream generator, bool computeVector = false)
    {
        var run = Run(op, generator, steps, computeVector);
        return Select(run, [0]);
    }

    static EigenvalueEstimate Select(LanczosResult run, int[] indices) =>
        new(indices.Select(k => run.RitzValues[k]).ToArray(),
            indices.Select(k => run.RitzResiduals[k]).ToArray(),
            run.RitzVectors is null ? null : indices.Select(k => run.RitzVectors[k]).ToArray(),
            run.Steps, run.Products, run.StopReason);
}
