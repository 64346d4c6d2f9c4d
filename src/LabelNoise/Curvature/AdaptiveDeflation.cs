using LabelNoise.Randomness;

namespace LabelNoise.Curvature;

/// <summary>
/// tr A by probes deflated with a Krylov space whose size is chosen from the operator itself — an adaptive
/// split of the products between the low-rank part and the probes (in the spirit of A-Hutch++, Persson,
/// Cortinovis, Kressner 2022, with the Krylov deflation of Chen and Hallman 2023):
/// <list type="number">
/// <item>a few pilot Hutchinson probes estimate tr A and ‖A‖_F² (E‖Az‖² = ‖A‖_F² for Rademacher z);</item>
/// <item>Lanczos steps (full reorthogonalization) from an independent random start grow an orthonormal
/// Krylov basis Q_m, one product per step, with tr(Q_mᵀAQ_m) = Σα known for free and
/// ‖(I − QQᵀ)A(I − QQᵀ)‖_F² = ‖A‖_F² − ‖T_m‖_F² − 2β_m² from the recurrence's scalars, so that the
/// variance of a deflated probe, ≈ 2‖PAP‖_F², is predicted at every m without further products;</item>
/// <item>the basis stops growing once the predicted total (steps + probes to the target) has not fallen for
/// <see cref="Patience"/> steps; the prefix Q_m* with the smallest predicted total deflates the probes
/// (<see cref="DeflatedHutchinson"/>).</item>
/// </list>
/// On outlier spectra it deflates the outliers; on flat ones it stops after a few steps and costs about
/// what Hutchinson costs. The estimate is unbiased and its standard error is the probes' (Q is fixed first).
/// </summary>
public static class AdaptiveDeflation
{
    /// <summary>Pilot probes for tr A and ‖A‖_F².</summary>
    public const int PilotProbes = 4;

    /// <summary>Steps without a fall in the predicted total before the basis stops growing.</summary>
    public const int Patience = 8;

    /// <summary>At most this many bytes of Krylov vectors.</summary>
    public const long MaxBasisBytes = 1L << 30;

    public static CurvatureEstimate Estimate(ILinearOperator op, RandomStream generator, EstimationBudget budget, int maxDeflation = 200)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(budget);
        if (maxDeflation < 0) throw new ArgumentOutOfRangeException(nameof(maxDeflation), maxDeflation, "the deflation limit must be ≥ 0");
        int n = op.Dimension;
        var (pilotGenerator, startGenerator, probeGenerator) = (generator.Split(), generator.Split(), generator.Split());
        int pilots = Math.Min(PilotProbes, Math.Max(0, budget.MaxProducts / 4));
        int limit = (int)Math.Min(Math.Min(maxDeflation, n - 1), Math.Min(MaxBasisBytes / (8L * n), budget.MaxProducts / 3));
        if (pilots < 2 || limit < 1)
            return DeflatedHutchinson.Estimate(op, [], 0, 0, CurvatureEstimator.DeflatedSlq.Name(), probeGenerator, budget);

        // 1. Pilot: tr A and ‖A‖_F².
        var z = new double[n];
        var az = new double[n];
        double traceSum = 0, frobeniusSum = 0;
        for (int p = 0; p < pilots; p++)
        {
            Vectors.FillRademacher(z, pilotGenerator);
            Vectors.ApplyChecked(op, z, az);
            traceSum += Vectors.Dot(z, az);
            frobeniusSum += Vectors.Dot(az, az);
        }
        double trace = traceSum / pilots, frobenius = frobeniusSum / pilots;

        // 2. Lanczos, predicting the total at each size.
        var basis = new List<double[]>();
        var start = new double[n];
        Vectors.FillRademacher(start, startGenerator);
        double norm = Vectors.Norm(start);
        for (int i = 0; i < n; i++) start[i] /= norm;
        basis.Add(start);
        var w = new double[n];
        double tSquared = 0, alphaSum = 0, previousBeta = 0, scale = 0;
        var alphaSums = new List<double> { 0 };
        double best = Predicted(0, frobenius);
        int bestSize = 0;
        for (int j = 0; j < limit; j++)
        {
            var q = basis[j];
            Vectors.ApplyChecked(op, q, w);
            double alpha = Vectors.Dot(q, w);
            Vectors.AddScaled(w, -alpha, q);
            if (j > 0) Vectors.AddScaled(w, -previousBeta, basis[j - 1]);
            for (int pass = 0; pass < 2; pass++)
                for (int i = 0; i <= j; i++)
                {
                    double c = Vectors.Dot(basis[i], w);
                    Vectors.AddScaled(w, -c, basis[i]);
                    if (i == j) alpha += c;
                }
            double beta = Vectors.Norm(w);
            alphaSum += alpha;
            alphaSums.Add(alphaSum);
            tSquared += alpha * alpha + (j > 0 ? 2 * previousBeta * previousBeta : 0);
            scale = Math.Max(scale, Math.Abs(alpha) + beta + previousBeta);
            bool breakdown = beta <= Lanczos.DefaultBreakdownTolerance * scale;
            double predicted = Predicted(j + 1, frobenius - tSquared - 2 * beta * beta);
            if (predicted < best) (best, bestSize) = (predicted, j + 1);
            if (breakdown || j + 1 - bestSize >= Patience || j + 1 == limit) break;
            var next = new double[n];
            for (int i = 0; i < n; i++) next[i] = w[i] / beta;
            basis.Add(next);
            previousBeta = beta;
        }
        int steps = alphaSums.Count - 1;
        var used = basis.Take(bestSize).ToArray();
        string name = $"{CurvatureEstimator.DeflatedSlq.Name()} (Krylov deflation: {bestSize} of {steps} Lanczos vectors, chosen after {pilots} pilot probes)";
        return DeflatedHutchinson.Estimate(op, used, alphaSums[bestSize], pilots + steps, name, probeGenerator, budget);

        // Steps + probes to reach the target with the remaining ‖PAP‖_F² (or, without a target: the variance
        // at the budget's end, in products of plain probes).
        double Predicted(int products, double remainder)
        {
            double variance = 2 * Math.Max(remainder, 0);
            double spent = pilots + products;
            if (budget.TargetRelativeStandardError is double target)
            {
                double scaleSquared = Math.Max(target * target * trace * trace, double.Epsilon);
                return spent + Math.Max(budget.MinSamples, variance / scaleSquared);
            }
            double left = budget.MaxProducts - spent;
            return left <= budget.MinSamples ? double.PositiveInfinity : variance / left;
        }
    }
}
