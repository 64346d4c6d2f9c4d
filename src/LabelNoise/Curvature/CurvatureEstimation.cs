using LabelNoise.Randomness;

namespace LabelNoise.Curvature;

/// <summary>
/// The operator-only estimators of tr A behind one switch (<see cref="CurvatureEstimator"/>), and tr f(A)
/// by stochastic Lanczos quadrature, directly or as c·tr A + tr(f(A) − cA) around a trace estimate.
/// </summary>
public static class CurvatureEstimation
{
    /// <summary>
    /// tr A by <paramref name="kind"/>: hutchinson and slq (whose one-step quadrature is Hutchinson's sample) plain
    /// probes; hutch++ with a sketch of <paramref name="sketch"/> columns; xtrace; deflated-slq and auto adaptively
    /// deflated probes (<see cref="AdaptiveDeflation"/>: never much worse than Hutchinson, far better on outliers).
    /// </summary>
    public static CurvatureEstimate Trace(ILinearOperator op, CurvatureEstimator kind, EstimationBudget budget, RandomStream generator, int sketch = 10)
    {
        ArgumentNullException.ThrowIfNull(op);
        return kind switch
        {
            CurvatureEstimator.Hutchinson => DeflatedHutchinson.Hutchinson(op, generator, budget),
            CurvatureEstimator.Slq => DeflatedHutchinson.Hutchinson(op, generator, budget) with { Estimator = "slq (one Lanczos step: Hutchinson)" },
            CurvatureEstimator.HutchPlusPlus => HutchPlusPlus.Estimate(op, sketch, generator, budget),
            CurvatureEstimator.XTrace => XTrace.Estimate(op, generator, budget),
            CurvatureEstimator.DeflatedSlq or CurvatureEstimator.Auto => AdaptiveDeflation.Estimate(op, generator, budget),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown estimator"),
        };
    }

    /// <summary>
    /// tr f(A) by SLQ with <paramref name="lanczosSteps"/> steps per probe, probes deflated by <paramref name="deflation"/>
    /// (may be empty: plain SLQ), after <paramref name="used"/> products spent elsewhere (counted in the result).
    /// </summary>
    public static CurvatureEstimate Function(ILinearOperator op, Func<double, double> f, IReadOnlyList<double[]> deflation, int used,
        string name, RandomStream generator, EstimationBudget budget, int lanczosSteps) =>
        Function(op, f, 0, null, deflation, used, name, generator, budget, lanczosSteps);

    /// <summary>
    /// tr f(A) = c·tr A + tr g(A) with g(x) = f(x) − c·x: <paramref name="trace"/> (an independent estimate of tr A)
    /// gives the first part, deflated SLQ the second, which is small where f is nearly linear — most of the
    /// variance of tr f(A) is tr A's, and that one can be exact. Standard error √((c·SE_trace)² + SE_g²); the
    /// probes stop when it reaches the target relative to the total.
    /// </summary>
    public static CurvatureEstimate AroundTrace(ILinearOperator op, Func<double, double> f, double c, CurvatureEstimate trace,
        IReadOnlyList<double[]> deflation, int used, string name, RandomStream generator, EstimationBudget budget, int lanczosSteps)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(f);
        return Function(op, x => f(x) - c * x, c, trace, deflation, used, name, generator, budget, lanczosSteps);
    }

    static CurvatureEstimate Function(ILinearOperator op, Func<double, double> g, double c, CurvatureEstimate? trace,
        IReadOnlyList<double[]> deflation, int used, string name, RandomStream generator, EstimationBudget budget, int lanczosSteps)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(deflation);
        ArgumentNullException.ThrowIfNull(budget);
        if (lanczosSteps < 1) throw new ArgumentOutOfRangeException(nameof(lanczosSteps), lanczosSteps, "at least one Lanczos step is needed");
        int steps = Math.Min(lanczosSteps, op.Dimension);
        double offset = trace is null ? 0 : c * trace.Estimate;
        double otherError = trace is null ? 0 : Math.Abs(c) * trace.StandardError;
        if (!double.IsFinite(otherError)) otherError = 0;
        int traceProducts = trace?.Products ?? 0;
        var options = budget.Probes(used + traceProducts + deflation.Count * steps, steps) with { Offset = offset, OtherStandardError = otherError };
        var slq = deflation.Count > 0
            ? StochasticLanczosQuadrature.EstimateDeflated(op, g, deflation, generator, options, steps)
            : StochasticLanczosQuadrature.Estimate(op, g, generator, options, steps);
        var stop = slq.Stop;
        string detail = $"{slq.Probes} probes × {steps} Lanczos steps" + (slq.Detail.Length > 0 ? $", {slq.Detail}" : "");
        if (trace is not null) detail += $"; trace part: {trace.Estimator}, {trace.StopReason}";
        double estimate = offset + slq.Estimate;
        double standardError = double.IsPositiveInfinity(slq.Estimate) ? 0 : Math.Sqrt(otherError * otherError + slq.StandardError * slq.StandardError);
        return new CurvatureEstimate(name, estimate, standardError, slq.Probes, used + traceProducts + slq.Products, stop, detail);
    }
}
