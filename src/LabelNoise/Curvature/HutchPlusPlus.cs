using LabelNoise.Randomness;

namespace LabelNoise.Curvature;

/// <summary>
/// Hutch++ (Meyer, Musco, Musco, Woodruff 2021): Q = orth(AS) for k Rademacher columns S (k products),
/// tr(QᵀAQ) exactly (k products), then Hutchinson on (I − QQᵀ)A(I − QQᵀ) with probes until the budget's
/// target (<see cref="DeflatedHutchinson"/>). For PSD A with a decaying spectrum the error falls as
/// 1/products instead of 1/√products; the standard error is that of the probes (Q is fixed before them).
/// </summary>
public static class HutchPlusPlus
{
    public static CurvatureEstimate Estimate(ILinearOperator op, int sketch, RandomStream generator, EstimationBudget budget)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(budget);
        if (sketch < 1) throw new ArgumentOutOfRangeException(nameof(sketch), sketch, "the sketch needs at least one column");
        int n = op.Dimension;
        // At most a third of the budget on each of the sketch and its exact part, and fewer columns than the dimension.
        int k = Math.Min(sketch, Math.Min(Math.Max(1, budget.MaxProducts / 3), Math.Max(1, n - 1)));
        var sketchGenerator = generator.Split();
        var columns = new List<double[]>(k);
        var s = new double[n];
        for (int j = 0; j < k; j++)
        {
            Vectors.FillRademacher(s, sketchGenerator);
            var y = new double[n];
            Vectors.ApplyChecked(op, s, y);
            columns.Add(y);
        }
        var q = StochasticLanczosQuadrature.Orthonormalize(columns, n);
        columns.Clear();
        double known = 0;
        var aq = new double[n];
        foreach (var column in q)
        {
            Vectors.ApplyChecked(op, column, aq);
            known += Vectors.Dot(column, aq);
        }
        return DeflatedHutchinson.Estimate(op, q, known, k + q.Count, CurvatureEstimator.HutchPlusPlus.Name(), generator.Split(), budget);
    }
}
