using LabelNoise.Curvature;

namespace LabelNoise.Theory;

/// <summary>
/// The step size and heavy-ball momentum that define the implicit regularizer R.
/// </summary>
public sealed record RegularizerSettings
{
    public RegularizerSettings(double LearningRate, double Momentum = 0)
    {
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "the learning rate must be positive and finite");
        if (!(Momentum >= 0 && Momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "the momentum must be in [0, 1)");
        this.LearningRate = LearningRate;
        this.Momentum = Momentum;
    }

    /// <summary>η.</summary>
    public double LearningRate { get; }

    /// <summary>β (0 for plain SGD).</summary>
    public double Momentum { get; }

    /// <summary>η/(1+β): with it the momentum regularizer (eq. 6) has exactly the form of eq. (1).</summary>
    public double EffectiveLearningRate => LearningRate / (1 + Momentum);

    /// <summary>The curvature at and above which R = +∞: 2(1+β)/η.</summary>
    public double CurvatureLimit => 2 * (1 + Momentum) / LearningRate;
}

/// <summary>
/// The implicit regularizer of label-noise SGD (Damian, Ma &amp; Lee 2021):
/// R(θ) = −1/(2η)·tr log(I − (η/2)∇²L(θ)) (eq. 1), and with momentum β (eq. 6, sign fixed)
/// R = −(1+β)/(2η)·tr log(I − η/(2(1+β))·∇²L), i.e. eq. (1) with η replaced by η' = η/(1+β).
/// Per eigenvalue x of ∇²L: r(x) = −log(1 − η'x/2)/(2η'); r(x) = +∞ for η'x ≥ 2; negative x are fine.
/// <para>
/// Derivatives: with h(x) = −log(1 − η'x/2)/η' = 2·r(x), R = ½ tr h(∇²L) and h′(x) = 1/(2 − η'x), so
/// ∇R = ½∇³L[h′(∇²L)] = ½∇³L[(2 − η∇²L)⁻¹] at β = 0; per eigenvalue, r′(x) = ½h′(x) = 1/(2(2 − η'x)).
/// </para>
/// </summary>
public sealed class ImplicitRegularizer
{
    public ImplicitRegularizer(RegularizerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
    }

    public ImplicitRegularizer(double learningRate, double momentum = 0) : this(new RegularizerSettings(learningRate, momentum)) { }

    public RegularizerSettings Settings { get; }

    /// <summary>
    /// r(x) = −log(1 − η'x/2)/(2η') (eq. 1 per eigenvalue; eq. 6 with η' = η/(1+β));
    /// +∞ (never NaN) for η'x ≥ 2.
    /// </summary>
    public double Term(double x)
    {
        if (double.IsNaN(x)) throw new ArgumentException("the eigenvalue is NaN", nameof(x));
        double eta = Settings.EffectiveLearningRate;
        double u = eta * x / 2;
        // At or beyond the limit 2(1+β)/η (either test, so that roundoff in η' = η/(1+β) or in the
        // limit itself never yields a huge finite value where the other says +∞).
        if (u >= 1 || x >= Settings.CurvatureLimit) return double.PositiveInfinity;
        return -LogOnePlus(-u) / (2 * eta);
    }

    /// <summary>d r/dx = 1/(2(2 − η'x)) = ½·h′(x); +∞ for η'x ≥ 2.</summary>
    public double TermDerivative(double x) => 0.5 * HPrime(x);

    /// <summary>
    /// h′(x) = 1/(2 − η'x), the weight in ∇R = ½∇³L[h′(∇²L)] (= ½∇³L[(2 − η∇²L)⁻¹] without momentum);
    /// with momentum h′(x) = (1+β)/(2(1+β) − ηx). +∞ for η'x ≥ 2.
    /// </summary>
    public double HPrime(double x)
    {
        if (double.IsNaN(x)) throw new ArgumentException("the eigenvalue is NaN", nameof(x));
        double scale = 1 + Settings.Momentum;
        double denominator = 2 * scale - Settings.LearningRate * x; // h′ = (1+β)/(2(1+β) − ηx)
        return denominator <= 0 || x >= Settings.CurvatureLimit ? double.PositiveInfinity : scale / denominator;
    }

    /// <summary>R = Σ_i r(λ_i); +∞ if any η'λ_i ≥ 2.</summary>
    public double FromEigenvalues(IEnumerable<double> eigenvalues)
    {
        ArgumentNullException.ThrowIfNull(eigenvalues);
        double sum = 0;
        foreach (double x in eigenvalues)
        {
            double term = Term(x);
            if (double.IsPositiveInfinity(term)) return double.PositiveInfinity;
            sum += term;
        }
        return sum;
    }

    /// <summary>R of a dense symmetric Hessian, through its eigenvalues.</summary>
    public double FromMatrix(double[,] hessian) => FromEigenvalues(SymmetricEigen.Eigenvalues(hessian));

    /// <summary>R of an explicit matrix operator, through its eigenvalues.</summary>
    public double FromMatrix(MatrixOperator hessian) => FromEigenvalues(SymmetricEigen.Decompose(hessian).Values);

    /// <summary>
    /// The truncated series Σ_i Σ_{k=1}^{order} η'^{k−1}λ_i^k/(2^{k+1}k) = Σ λ/4 + η'λ²/16 + η'²λ³/48 + …,
    /// which converges to R when η'|λ_i| &lt; 2 for all i.
    /// </summary>
    public double Series(IEnumerable<double> eigenvalues, int order)
    {
        ArgumentNullException.ThrowIfNull(eigenvalues);
        if (order < 1) throw new ArgumentOutOfRangeException(nameof(order), order, "the series order must be at least 1");
        double eta = Settings.EffectiveLearningRate;
        double sum = 0;
        foreach (double x in eigenvalues)
        {
            // term_k = (η'x/2)^k/(2η'k) = η'^{k−1}x^k/(2^{k+1}k); power = (η'x/2)^{k−1}·x/4 avoids dividing by η'.
            double power = x / 4;
            for (int k = 1; k <= order; k++)
            {
                sum += power / k;
                power *= eta * x / 2;
            }
        }
        return sum;
    }

    /// <summary>
    /// λ = ησ²/(B(1−β)): the scale of the label-noise covariance (Algorithm 1; with momentum, Section 3).
    /// </summary>
    public static double Lambda(double learningRate, double noiseStdDev, int batchSize, double momentum = 0)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate must be positive and finite");
        if (!(noiseStdDev >= 0) || double.IsInfinity(noiseStdDev))
            throw new ArgumentOutOfRangeException(nameof(noiseStdDev), noiseStdDev, "the noise standard deviation must be non-negative and finite");
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "the batch size must be at least 1");
        if (!(momentum >= 0 && momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "the momentum must be in [0, 1)");
        return learningRate * noiseStdDev * noiseStdDev / (batchSize * (1 - momentum));
    }

    /// <summary>log(1 + x), accurate for small |x| (Goldberg's correction: log(u)·x/(u − 1) with u = fl(1 + x)).</summary>
    static double LogOnePlus(double x)
    {
        double u = 1 + x;
        if (u == 1 || double.IsInfinity(u)) return u == 1 ? x : Math.Log(u);
        return Math.Log(u) * x / (u - 1);
    }
}
