using LabelNoise.Randomness;

namespace LabelNoise.Curvature;

/// <summary>
/// tr A = tr(QᵀAQ) + tr(PAP) with P = I − QQᵀ for an orthonormal Q drawn independently of the probes: the
/// first part known (computed by the caller), the second by Rademacher probes w = Pz, sample wᵀAw (one
/// product each). Unbiased for any such Q, and the standard error of the mean of the samples is that of
/// the whole estimate; with Q = ∅ it is Hutchinson's estimator. Probe i draws its Dimension signs from the
/// generator in index order (as <see cref="HutchinsonTrace"/>).
/// </summary>
public static class DeflatedHutchinson
{
    /// <param name="op">A symmetric operator.</param>
    /// <param name="basis">Orthonormal vectors Q (may be empty), independent of <paramref name="generator"/>'s probes.</param>
    /// <param name="known">tr(QᵀAQ), already computed.</param>
    /// <param name="used">Products already spent on Q and on <paramref name="known"/> (counted against the budget).</param>
    /// <param name="name">The estimator's name for the result.</param>
    public static CurvatureEstimate Estimate(ILinearOperator op, IReadOnlyList<double[]> basis, double known, int used, string name,
        RandomStream generator, EstimationBudget budget)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(basis);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(budget);
        var options = budget.Probes(used, 1) with { Offset = known };
        int n = op.Dimension;
        var w = new double[n];
        var aw = new double[n];
        var samples = new List<double>();
        while (true)
        {
            Vectors.FillRademacher(w, generator);
            Project(basis, w);
            Vectors.ApplyChecked(op, w, aw);
            samples.Add(Vectors.Dot(w, aw));
            var (mean, standardError) = Vectors.MeanAndStandardError(samples);
            if (options.ShouldStop(samples.Count, mean, standardError) is not { } stop) continue;
            string detail = basis.Count > 0 ? $"{samples.Count} probes deflated by {basis.Count} vectors" : $"{samples.Count} probes";
            return new CurvatureEstimate(name, known + mean, standardError, samples.Count, used + samples.Count, stop, detail);
        }
    }

    /// <summary>Plain Hutchinson: Rademacher probes until the budget's target or its products.</summary>
    public static CurvatureEstimate Hutchinson(ILinearOperator op, RandomStream generator, EstimationBudget budget) =>
        Estimate(op, [], 0, 0, CurvatureEstimator.Hutchinson.Name(), generator, budget);

    /// <summary>w ← (I − QQᵀ)w, twice for orthogonality to working precision.</summary>
    internal static void Project(IReadOnlyList<double[]> basis, Span<double> w)
    {
        for (int pass = 0; pass < (basis.Count > 0 ? 2 : 0); pass++)
            foreach (var q in basis) Vectors.AddScaled(w, -Vectors.Dot(q, w), q);
    }
}
