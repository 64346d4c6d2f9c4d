using LabelNoise.Randomness;

namespace LabelNoise.Curvature;

/// <summary>
/// The Gauss quadrature rule of one probe v: vᵀf(A)v ≈ Σ_k Weights[k]·f(Nodes[k]), with the nodes the
/// Ritz values θ_k of m Lanczos steps from v and the weights τ_k²·‖v‖² (τ_k the first component of T's
/// k-th unit eigenvector); the weights sum to ‖v‖² (= Dimension for a Rademacher probe). Exact for
/// polynomials of degree ≤ 2·Steps − 1, and for every f at breakdown.
/// </summary>
public sealed record QuadratureRule(double[] Nodes, double[] Weights, int Steps, int Products, string LanczosStopReason)
{
    /// <summary>Σ_k Weights[k]·f(Nodes[k]).</summary>
    public double Integrate(Func<double, double> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        double sum = 0;
        for (int k = 0; k < Nodes.Length; k++)
        {
            double value = f(Nodes[k]);
            // A zero weight (an eigenvector of T orthogonal to e_1) contributes nothing, even at a pole.
            if (Weights[k] != 0) sum += Weights[k] * value;
        }
        return sum;
    }
}

/// <summary>
/// A stochastic Lanczos quadrature estimate of tr f(A) = Σ_i f(λ_i): the mean of the per-probe
/// quadratures (<see cref="Samples"/>), its standard error from the spread over probes (NaN for one
/// probe), and each probe's quadrature rule (a spectral density: nodes and weights).
/// </summary>
public sealed record SlqEstimate(
    double Estimate,
    double StandardError,
    int Probes,
    int Products,
    EstimateStop Stop,
    string Detail,
    double[] Samples,
    QuadratureRule[] Quadratures,
    int Dimension);

/// <summary>A spectral density evaluated on a grid.</summary>
public sealed record SpectralDensity(double[] Grid, double[] Density, double Bandwidth);

/// <summary>
/// Stochastic Lanczos quadrature (Ubaru, Chen &amp; Saad 2017): tr f(A) ≈ (1/n_v) Σ_probes Σ_k τ_k²·‖v‖²·f(θ_k)
/// with Rademacher probes v and m Lanczos steps (full reorthogonalization) per probe. Probe i draws
/// its Dimension signs from the generator in index order.
/// </summary>
public static class StochasticLanczosQuadrature
{
    /// <summary>Estimates tr f(A) with <paramref name="lanczosSteps"/> steps per probe and probes as in <paramref name="options"/>.</summary>
    public static SlqEstimate Estimate(
        ILinearOperator op,
        Func<double, double> f,
        RandomStream generator,
        ProbeOptions options,
        int lanczosSteps)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(options);
        if (lanczosSteps < 1) throw new ArgumentOutOfRangeException(nameof(lanczosSteps), lanczosSteps, "at least one Lanczos step is needed");

        var probe = new double[op.Dimension];
        var samples = new List<double>();
        var rules = new List<QuadratureRule>();
        int products = 0;
        while (true)
        {
            Vectors.FillRademacher(probe, generator);
            var rule = Quadrature(op, probe, lanczosSteps);
            products += rule.Products;
            rules.Add(rule);
            double sample = rule.Integrate(f);
            samples.Add(sample);
            if (!double.IsFinite(sample))
            {
                // Stop at once: the mean is this value (+∞ stays +∞; NaN means f failed at a node).
                return new SlqEstimate(sample, double.NaN, samples.Count, products, EstimateStop.NonFinite,
                    $"f gave {sample} at a quadrature node of probe {samples.Count}", samples.ToArray(), rules.ToArray(), op.Dimension);
            }
            var (mean, standardError) = Vectors.MeanAndStandardError(samples);
            if (options.ShouldStop(samples.Count, mean, standardError) is { } stop)
                return new SlqEstimate(mean, options.ReportedStandardError(samples.Count, standardError), samples.Count, products, stop, "", samples.ToArray(), rules.ToArray(), op.Dimension);
        }
    }

    /// <summary>
    /// Deflated SLQ: tr f(A) = Σⱼ qⱼᵀf(A)qⱼ + tr(P f(A) P) with P = I − QQᵀ for any orthonormal Q, the
    /// first part by one quadrature per column of Q and the second by probes w = Pv. Unbiased for any Q;
    /// with Q spanning the top eigenvectors (which carry most of the probe variance for curvature
    /// spectra with outliers) it needs far fewer probes. The stopping rule applies to the total.
    /// </summary>
    public static SlqEstimate EstimateDeflated(
        ILinearOperator op,
        Func<double, double> f,
        IReadOnlyList<double[]> basis,
        RandomStream generator,
        ProbeOptions options,
        int lanczosSteps)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(basis);
        ArgumentNullException.ThrowIfNull(options);
        var q = Orthonormalize(basis, op.Dimension);
        int products = 0;
        var rules = new List<QuadratureRule>();
        double deflated = 0;
        foreach (var column in q)
        {
            var rule = Quadrature(op, column, lanczosSteps);
            products += rule.Products;
            deflated += rule.Integrate(f);
        }
        var probe = new double[op.Dimension];
        var samples = new List<double>();
        while (true)
        {
            Vectors.FillRademacher(probe, generator);
            foreach (var column in q)
            {
                double c = Vectors.Dot(column, probe);
                for (int i = 0; i < probe.Length; i++) probe[i] -= c * column[i];
            }
            var rule = Quadrature(op, probe, lanczosSteps);
            products += rule.Products;
            rules.Add(rule);
            double sample = rule.Integrate(f);
            samples.Add(sample);
            if (!double.IsFinite(sample) || !double.IsFinite(deflated))
            {
                double value = deflated + sample;
                return new SlqEstimate(value, double.NaN, samples.Count, products, EstimateStop.NonFinite,
                    $"f gave {value} at a quadrature node", samples.ToArray(), rules.ToArray(), op.Dimension);
            }
            var (mean, standardError) = Vectors.MeanAndStandardError(samples);
            if (options.ShouldStop(samples.Count, deflated + mean, standardError) is { } stop)
                return new SlqEstimate(deflated + mean, options.ReportedStandardError(samples.Count, standardError), samples.Count, products, stop, $"deflated by {q.Count} vectors", samples.Select(x => x + deflated).ToArray(), rules.ToArray(), op.Dimension);
        }
    }

    /// <summary>Modified Gram–Schmidt (twice), dropping vectors that are numerically dependent.</summary>
    internal static List<double[]> Orthonormalize(IReadOnlyList<double[]> vectors, int dimension)
    {
        var result = new List<double[]>();
        foreach (var v in vectors)
        {
            if (v.Length != dimension) throw new ArgumentException($"a deflation vector has {v.Length} entries, not {dimension}", nameof(vectors));
            var u = (double[])v.Clone();
            double original = Math.Sqrt(Vectors.Dot(u, u));
            for (int pass = 0; pass < 2; pass++)
                foreach (var w in result)
                {
                    double c = Vectors.Dot(w, u);
                    for (int i = 0; i < u.Length; i++) u[i] -= c * w[i];
                }
            double norm = Math.Sqrt(Vectors.Dot(u, u));
            if (norm <= 1e-8 * original || norm == 0) continue;
            for (int i = 0; i < u.Length; i++) u[i] /= norm;
            result.Add(u);
        }
        return result;
    }

    /// <summary>Estimates tr f(A) with a fixed number of probes.</summary>
    public static SlqEstimate Estimate(ILinearOperator op, Func<double, double> f, RandomStream generator, int probes, int lanczosSteps) =>
        Estimate(op, f, generator, ProbeOptions.Fixed(probes), lanczosSteps);

    /// <summary>The Gauss quadrature rule for vᵀf(A)v from <paramref name="steps"/> Lanczos steps started at <paramref name="probe"/>.</summary>
    public static QuadratureRule Quadrature(ILinearOperator op, ReadOnlySpan<double> probe, int steps)
    {
        var run = Lanczos.Run(op, probe, steps);
        double squaredNorm = run.StartNorm * run.StartNorm;
        var weights = run.RitzWeights.Select(w => w * squaredNorm).ToArray();
        return new QuadratureRule(run.RitzValues, weights, run.Steps, run.Products, run.StopReason);
    }

    /// <summary>
    /// The Gaussian-broadened spectral density φ(t) = (1/n_v) Σ_probes Σ_k (w_k/‖v‖²)·N(t; θ_k, σ²) on
    /// <paramref name="grid"/>: an estimate of (1/n) Σ_i δ(t − λ_i), integrating to 1.
    /// </summary>
    public static SpectralDensity GaussianDensity(IReadOnlyList<QuadratureRule> rules, IReadOnlyList<double> grid, double bandwidth)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(grid);
        if (rules.Count == 0) throw new ArgumentException("at least one quadrature rule is needed", nameof(rules));
        if (!(bandwidth > 0) || double.IsInfinity(bandwidth)) throw new ArgumentOutOfRangeException(nameof(bandwidth), bandwidth, "the bandwidth must be positive and finite");
        var density = new double[grid.Count];
        double normalizer = 1.0 / (rules.Count * bandwidth * Math.Sqrt(2 * Math.PI));
        foreach (var rule in rules)
        {
            double total = rule.Weights.Sum();
            if (!(total > 0)) throw new ArgumentException("a quadrature rule has non-positive total weight", nameof(rules));
            for (int k = 0; k < rule.Nodes.Length; k++)
            {
                double weight = rule.Weights[k] / total * normalizer;
                for (int g = 0; g < grid.Count; g++)
                {
                    double u = (grid[g] - rule.Nodes[k]) / bandwidth;
                    density[g] += weight * Math.Exp(-0.5 * u * u);
                }
            }
        }
        return new SpectralDensity(grid.ToArray(), density, bandwidth);
    }

    /// <summary>
    /// The Gaussian-broadened density on <paramref name="points"/> equally spaced points spanning all
    /// nodes with a margin of <paramref name="margin"/> bandwidths on either side.
    /// </summary>
    public static SpectralDensity GaussianDensity(IReadOnlyList<QuadratureRule> rules, int points, double bandwidth, double margin = 5)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Count == 0) throw new ArgumentException("at least one quadrature rule is needed", nameof(rules));
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), points, "a grid needs at least two points");
        if (!(margin >= 0) || double.IsInfinity(margin)) throw new ArgumentOutOfRangeException(nameof(margin), margin, "the margin must be non-negative and finite");
        double lower = rules.Min(r => r.Nodes.Min()) - margin * bandwidth;
        double upper = rules.Max(r => r.Nodes.Max()) + margin * bandwidth;
        var grid = Enumerable.Range(0, points).Select(i => lower + (upper - lower) * i / (points - 1)).ToArray();
        return GaussianDensity(rules, grid, bandwidth);
    }
}
