using LabelNoise.Curvature;

namespace LabelNoise.Theory;

/// <summary>
/// A solution of the discrete Lyapunov equation Σ = AΣAᵀ + Q.
/// </summary>
/// <param name="Covariance">Σ.</param>
/// <param name="Iterations">Doubling iterations used (Σ then sums A^j Q A^jᵀ for j &lt; 2^Iterations).</param>
/// <param name="Converged">False when the series did not settle: the spectral radius of A is ≥ 1 on the range of Q.</param>
/// <param name="RelativeResidual">‖Σ − AΣAᵀ − Q‖_F / ‖Σ‖_F of the returned Σ (0 when Σ = 0 exactly).</param>
/// <param name="StopReason">Why the iteration stopped.</param>
public sealed record LyapunovSolution(double[,] Covariance, int Iterations, bool Converged, double RelativeResidual, string StopReason);

/// <summary>
/// Stationary covariances of the Ornstein–Uhlenbeck-like process ξ_{k+1} = (I − ηG)ξ_k + ε_k with
/// Cov ε = ηλG (eq. 4 of Damian, Ma &amp; Lee 2021), and of Proposition 5's fixed point
/// S = (I − ηH)S(I − ηH) + ηλΣ. All matrices are dense and small (d up to a few hundred).
/// </summary>
public static class OuCovariance
{
    /// <summary>Eigenvalues with |g| ≤ tolerance·max|g| count as zero (outside span G).</summary>
    public const double DefaultRankTolerance = 1e-10;

    /// <summary>Default relative size of the last doubling increment at which the iteration stops.</summary>
    public const double DefaultTolerance = 1e-14;

    /// <summary>Default cap on doubling iterations (each squares A).</summary>
    public const int DefaultMaxIterations = 100;

    /// <summary>Stop reason: the increment fell below the tolerance.</summary>
    public const string ConvergedReason = "converged: relative increment below tolerance";

    /// <summary>Stop reason: increments stopped shrinking at roundoff level (e.g. A has eigenvalue 1 off the range of Q).</summary>
    public const string RoundoffReason = "converged to roundoff: increments stopped shrinking below 1e-8 relative";

    /// <summary>
    /// Proposition 2's closed form λ·Π_G·(2I − ηG)⁻¹ from the eigen-decomposition of the symmetric
    /// positive semidefinite G: Σ_i λ/(2 − ηg_i)·v_i v_iᵀ over the eigenvalues g_i > tolerance·max|g|.
    /// </summary>
    public static double[,] StationaryClosedForm(double[,] g, double learningRate, double lambda, double rankTolerance = DefaultRankTolerance)
    {
        CheckScalars(learningRate, lambda, rankTolerance);
        var eigen = SymmetricEigen.Decompose(g);
        double largest = eigen.Values.Max(Math.Abs);
        int d = eigen.Values.Length;
        var coefficients = new double[d];
        for (int i = 0; i < d; i++)
        {
            double value = eigen.Values[i];
            if (Math.Abs(value) <= rankTolerance * largest) continue; // outside span G: Π_G removes it
            if (value < 0)
                throw new ArgumentException($"G must be positive semidefinite, but it has eigenvalue {value}", nameof(g));
            if (learningRate * value >= 2)
                throw new ArgumentException($"no stationary covariance: eta*g = {learningRate * value} >= 2 for eigenvalue g = {value}", nameof(g));
            coefficients[i] = lambda / (2 - learningRate * value);
        }
        return FromEigenbasis(eigen.Vectors, coefficients);
    }

    /// <summary>
    /// Solves Σ = AΣAᵀ + Q by doubling (Smith's method): Σ ← Σ + AΣAᵀ, A ← A², starting from Σ = Q,
    /// so that after k iterations Σ = Σ_{j &lt; 2^k} A^j Q (A^j)ᵀ. Converges (doubly exponentially) when the
    /// spectral radius of A is below 1 on the range of Q; otherwise reports non-convergence.
    /// </summary>
    public static LyapunovSolution SolveLyapunov(double[,] a, double[,] q, double tolerance = DefaultTolerance, int maxIterations = DefaultMaxIterations)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(q);
        int d = CheckSquare(a, nameof(a));
        if (CheckSquare(q, nameof(q)) != d)
            throw new ArgumentException($"Q is {q.GetLength(0)}×{q.GetLength(1)} but A is {d}×{d}", nameof(q));
        if (!(tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "the tolerance must be non-negative");
        if (maxIterations < 1) throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "at least one iteration is needed");

        var sigma = (double[,])q.Clone();
        var power = (double[,])a.Clone();
        double previous = double.PositiveInfinity;
        int iteration = 0;
        string reason;
        bool converged;
        while (true)
        {
            iteration++;
            var increment = DenseMatrix.Multiply(DenseMatrix.Multiply(power, sigma), DenseMatrix.Transpose(power));
            var next = DenseMatrix.Add(sigma, increment);
            double nextNorm = DenseMatrix.Frobenius(next), incrementNorm = DenseMatrix.Frobenius(increment);
            if (!double.IsFinite(nextNorm) || !double.IsFinite(incrementNorm))
            {
                converged = false;
                reason = $"diverged after {iteration} iterations: non-finite entries (the spectral radius of A exceeds 1 on the range of Q)";
                break; // keep the last finite Σ
            }
            sigma = next;
            double relative = nextNorm == 0 ? 0 : incrementNorm / nextNorm;
            if (relative <= tolerance) { converged = true; reason = ConvergedReason; break; }
            if (previous <= 1e-8 && relative >= previous) { converged = true; reason = RoundoffReason; break; }
            if (iteration == maxIterations)
            {
                converged = false;
                reason = $"did not converge in {maxIterations} iterations (relative increment {relative:G3}): the spectral radius of A is >= 1 on the range of Q";
                break;
            }
            previous = relative;
            power = DenseMatrix.Multiply(power, power);
        }
        return new LyapunovSolution(sigma, iteration, converged, RelativeResidual(a, q, sigma), reason);
    }

    /// <summary>
    /// The stationary covariance of eq. (4) by the Lyapunov solver: A = I − ηG, Q = ηλG.
    /// </summary>
    public static LyapunovSolution Stationary(double[,] g, double learningRate, double lambda, double tolerance = DefaultTolerance, int maxIterations = DefaultMaxIterations)
    {
        CheckScalars(learningRate, lambda, 0);
        var symmetric = new MatrixOperator(g).ToArray();
        return SolveLyapunov(DenseMatrix.IdentityMinus(learningRate, symmetric), DenseMatrix.Scale(learningRate * lambda, symmetric), tolerance, maxIterations);
    }

    /// <summary>
    /// Proposition 5's fixed point S = (I − ηH)S(I − ηH) + ηλΣ for a noise covariance Σ (any symmetric
    /// matrix), by the Lyapunov solver. With Σ = H, S = λΠ_H(2I − ηH)⁻¹.
    /// </summary>
    public static LyapunovSolution FixedPoint(double[,] hessian, double[,] noiseCovariance, double learningRate, double lambda, double tolerance = DefaultTolerance, int maxIterations = DefaultMaxIterations)
    {
        CheckScalars(learningRate, lambda, 0);
        var h = new MatrixOperator(hessian).ToArray();
        var sigma = new MatrixOperator(noiseCovariance).ToArray();
        if (sigma.GetLength(0) != h.GetLength(0))
            throw new ArgumentException($"the noise covariance is {sigma.GetLength(0)}×{sigma.GetLength(0)} but the Hessian is {h.GetLength(0)}×{h.GetLength(0)}", nameof(noiseCovariance));
        return SolveLyapunov(DenseMatrix.IdentityMinus(learningRate, h), DenseMatrix.Scale(learningRate * lambda, sigma), tolerance, maxIterations);
    }

    /// <summary>
    /// Proposition 5's fixed point in closed form, in H's eigenbasis (H = V diag(h) Vᵀ, a_i = 1 − ηh_i):
    /// (VᵀSV)_ij = ηλ(VᵀΣV)_ij / (1 − a_i a_j). Entries where a_i a_j = 1 (both h ≈ 0) must have no
    /// noise (|(VᵀΣV)_ij| ≤ tolerance·max) and are set to 0; where a_i a_j ≥ 1 otherwise no stationary
    /// solution exists and <see cref="ArgumentException"/> is thrown.
    /// </summary>
    public static double[,] FixedPointEigenbasis(double[,] hessian, double[,] noiseCovariance, double learningRate, double lambda, double rankTolerance = DefaultRankTolerance)
    {
        CheckScalars(learningRate, lambda, rankTolerance);
        var eigen = SymmetricEigen.Decompose(hessian);
        var sigma = new MatrixOperator(noiseCovariance).ToArray();
        int d = eigen.Values.Length;
        if (sigma.GetLength(0) != d)
            throw new ArgumentException($"the noise covariance is {sigma.GetLength(0)}×{sigma.GetLength(0)} but the Hessian is {d}×{d}", nameof(noiseCovariance));
        double largest = eigen.Values.Max(Math.Abs);
        var h = eigen.Values.Select(x => Math.Abs(x) <= rankTolerance * largest ? 0 : x).ToArray();
        var v = DenseMatrix.FromColumns(eigen.Vectors);
        var rotated = DenseMatrix.Multiply(DenseMatrix.Multiply(DenseMatrix.Transpose(v), sigma), v);
        double noiseScale = 0;
        foreach (double x in rotated) noiseScale = Math.Max(noiseScale, Math.Abs(x));
        var s = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double ai = 1 - learningRate * h[i], aj = 1 - learningRate * h[j];
                double denominator = 1 - ai * aj;
                double noise = learningRate * lambda * rotated[i, j];
                if (denominator > 0) { s[i, j] = noise / denominator; continue; }
                if (Math.Abs(rotated[i, j]) <= rankTolerance * noiseScale) continue; // no noise on a neutral direction
                throw new ArgumentException(
                    $"no stationary solution: (1 - eta*h_i)(1 - eta*h_j) = {ai * aj} >= 1 for h_i = {h[i]}, h_j = {h[j]} where the noise is {rotated[i, j]}",
                    nameof(noiseCovariance));
            }
        var result = DenseMatrix.Multiply(DenseMatrix.Multiply(v, s), DenseMatrix.Transpose(v));
        DenseMatrix.Symmetrize(result);
        return result;
    }

    /// <summary>The regularizer ⟨S, H⟩ = Σ_ij S_ij H_ij (Frobenius inner product) of Proposition 5.</summary>
    public static double RegularizerS(double[,] s, double[,] hessian)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(hessian);
        int d = CheckSquare(s, nameof(s));
        if (CheckSquare(hessian, nameof(hessian)) != d)
            throw new ArgumentException($"S is {d}×{d} but H is {hessian.GetLength(0)}×{hessian.GetLength(1)}", nameof(hessian));
        double sum = 0;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) sum += s[i, j] * hessian[i, j];
        return sum;
    }

    static void CheckScalars(double learningRate, double lambda, double rankTolerance)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate must be positive and finite");
        if (!(lambda >= 0) || double.IsInfinity(lambda))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must be non-negative and finite");
        if (!(rankTolerance >= 0) || rankTolerance >= 1)
            throw new ArgumentOutOfRangeException(nameof(rankTolerance), rankTolerance, "the rank tolerance must be in [0, 1)");
    }

    static int CheckSquare(double[,] m, string name)
    {
        if (m.GetLength(0) != m.GetLength(1) || m.GetLength(0) == 0)
            throw new ArgumentException($"the matrix must be square and non-empty, not {m.GetLength(0)}×{m.GetLength(1)}", name);
        foreach (double x in m)
            if (!double.IsFinite(x)) throw new ArgumentException($"the matrix has a non-finite entry ({x})", name);
        return m.GetLength(0);
    }

    static double RelativeResidual(double[,] a, double[,] q, double[,] sigma)
    {
        double norm = DenseMatrix.Frobenius(sigma);
        if (norm == 0) return DenseMatrix.Frobenius(q) == 0 ? 0 : double.PositiveInfinity;
        if (!double.IsFinite(norm)) return double.NaN;
        var residual = DenseMatrix.Add(sigma, DenseMatrix.Scale(-1, DenseMatrix.Add(DenseMatrix.Multiply(DenseMatrix.Multiply(a, sigma), DenseMatrix.Transpose(a)), q)));
        return DenseMatrix.Frobenius(residual) / norm;
    }

    static double[,] FromEigenbasis(double[][] vectors, double[] coefficients)
    {
        int d = coefficients.Length;
        var result = new double[d, d];
        for (int k = 0; k < d; k++)
        {
            if (coefficients[k] == 0) continue;
            var v = vectors[k];
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) result[i, j] += coefficients[k] * v[i] * v[j];
        }
        DenseMatrix.Symmetrize(result);
        return result;
    }








}
