using System.Diagnostics;
using System.Globalization;
using LabelNoise.Curvature;
using LabelNoise.Objectives;
using LabelNoise.Randomness;
using LabelNoise.Theory;

namespace LabelNoise.Measurement;

/// <summary>
/// The one entry point for tr ∇²L and R(θ) at a point, to a target relative standard error or within a budget
/// (<c>measure</c>, the experiments, <c>bench</c>, and library users).
/// <list type="bullet">
/// <item>auto: tr ∇²L exactly where the objective can (<see cref="IObjective.ExactHessianTrace"/>: a ReLU MLP,
/// no Hessian-vector products), else adaptively deflated probes; R = tr ∇²L/4 + tr(r(∇²L) − ∇²L/4) with the
/// remainder, O(ηλ²), by SLQ deflated with those of the guard run's top Ritz vectors that pay for their quadrature
/// (<see cref="PayingDeflation"/>).</item>
/// <item>hutchinson, slq: Rademacher probes for the trace; plain SLQ on r for R (what PyHessian does).</item>
/// <item>deflated-slq: adaptively deflated probes for the trace; SLQ on r deflated by the guard's Ritz vectors for R.</item>
/// <item>xtrace, hutch++: that estimator for the trace, and R around it as auto does.</item>
/// </list>
/// Every R run first takes <see cref="CurvatureRequest.GuardSteps"/> Lanczos steps for λ_max: R = +∞
/// (certain: Ritz values never exceed λ_max) when η'λ reaches 2.
/// </summary>
public static class CurvatureMeasurer
{
    /// <summary>At a point of <paramref name="objective"/>: its Hessian, with the exact trace where the objective has one (auto).</summary>
    public static CurvatureResult Measure(IObjective objective, CurvatureRequest request, RandomStream generator)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(generator);
        request.Validate(); // before the exact trace, which costs backward passes
        var exact = request.Estimator == CurvatureEstimator.Auto && (request.Trace || AroundTrace(request)) ? objective.ExactHessianTrace() : null;
        return Measure(objective.Hessian(), request, generator, exact);
    }

    /// <summary>For a bare symmetric operator (no exact trace: auto takes adaptively deflated probes).</summary>
    public static CurvatureResult Measure(ILinearOperator hessian, CurvatureRequest request, RandomStream generator)
    {
        ArgumentNullException.ThrowIfNull(hessian);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(generator);
        request.Validate();
        return Measure(hessian, request, generator, null);
    }

    /// <summary>
    /// Probes of R's remainder g = r(x) − x/4 after which the target may be met: where the trace carries R, g's
    /// probes are far inside the target and the minimum (<see cref="CurvatureRequest.MinSamples"/>) would only buy
    /// precision nobody asked for; their standard error is inflated by Student's t factor (<see cref="StudentT"/>)
    /// until the minimum, so that ±2 SE keeps its coverage (the coverage test's "R: around the exact trace" case).
    /// </summary>
    public const int EarlyRemainderProbes = 4;

    /// <summary>R's slope at 0 (r(x) = x/4 + O(ηx²)): R = tr ∇²L/4 + tr(r(∇²L) − ∇²L/4).</summary>
    const double RemainderSlope = 0.25;

    /// <summary>
    /// The guard's Ritz vectors worth deflating R's remainder g by, with a target standard error <paramref name="scale"/>:
    /// deflating by a vector costs one quadrature (as many products as a probe) and removes at most 2·g(θ)² of a probe's
    /// variance (a Rademacher sample of a matrix with eigenvalue g(θ) along that vector), which saves at most 2·g(θ)²/scale²
    /// probes; a vector is kept only where that exceeds the one probe it costs. Where the remainder is small against the
    /// target (the exact trace carries R), none is kept and the probes are not deflated.
    /// </summary>
    internal static IReadOnlyList<double[]> PayingDeflation(IReadOnlyList<double> ritzValues, IReadOnlyList<double[]> vectors, Func<double, double> g, double scale)
    {
        var kept = new List<double[]>();
        for (int i = 0; i < vectors.Count; i++)
        {
            double value = g(ritzValues[i]);
            if (!(2 * value * value <= scale * scale)) kept.Add(vectors[i]);
        }
        return kept;
    }

    static bool AroundTrace(CurvatureRequest request) =>
        request.Regularizer is not null && request.Estimator is CurvatureEstimator.Auto or CurvatureEstimator.XTrace or CurvatureEstimator.HutchPlusPlus;

    /// <summary>The measurement itself, for a request its caller validated.</summary>
    static CurvatureResult Measure(ILinearOperator hessian, CurvatureRequest request, RandomStream generator, ExactTrace? exact)
    {
        var clock = Stopwatch.StartNew();
        var (traceGenerator, guardGenerator, regularizerGenerator) = (generator.Split(), generator.Split(), generator.Split());
        bool aroundTrace = AroundTrace(request);
        // R around an estimated trace: the trace takes half of R's variance (R ≈ tr/4).
        var traceBudget = aroundTrace && request.TargetRelativeStandardError is double r
            ? new EstimationBudget(r / Math.Sqrt(2), request.Probes, request.MinSamples)
            : request.Budget;
        var trace = exact is not null ? CurvatureEstimate.Exact("exact", exact.Value, 0, exact.Method)
            : request.Trace || aroundTrace ? CurvatureEstimation.Trace(hessian, request.Estimator, traceBudget, traceGenerator, Math.Max(1, request.Deflation))
            : null;
        var blocks = exact?.Blocks ?? [];
        if (request.Regularizer is not { } settings)
            return new CurvatureResult(trace, null, null, null, 0, blocks, trace!.Products, clock.Elapsed.TotalSeconds);

        var regularizer = new ImplicitRegularizer(settings);
        // R's probes cost LanczosSteps products each: the same number of samples as the trace's budget allows.
        // Around the trace, the remainder's probes may meet the target early (their standard error inflated for few samples).
        var regularizerBudget = new EstimationBudget(request.TargetRelativeStandardError,
            (int)Math.Min(int.MaxValue / 2, (long)request.Probes * request.LanczosSteps + request.GuardSteps), request.MinSamples)
        { EarlySamples = aroundTrace ? EarlyRemainderProbes : null };
        int guardSteps = Math.Min(request.GuardSteps, hessian.Dimension);
        int deflation = Math.Min(request.Deflation, guardSteps);
        bool deflate = deflation > 0 && request.Estimator is not (CurvatureEstimator.Hutchinson or CurvatureEstimator.Slq);
        var top = Lanczos.TopEigenvalues(hessian, Math.Max(1, deflation), guardSteps, guardGenerator, computeVectors: deflate);
        double lambdaMax = top.Values[0], residual = top.ResidualBounds[0];
        IReadOnlyList<double[]> basis = deflate ? top.Vectors! : [];
        if (aroundTrace && deflate && request.TargetRelativeStandardError is double relative)
            basis = PayingDeflation(top.Values, basis, x => regularizer.Term(x) - RemainderSlope * x, relative * Math.Abs(RemainderSlope * trace!.Estimate));
        CurvatureEstimate estimate;
        if (lambdaMax >= settings.CurvatureLimit)
            estimate = new CurvatureEstimate(request.Estimator.Name(), double.PositiveInfinity, 0, 0, top.Products, EstimateStop.BeyondStabilityLimit,
                string.Create(CultureInfo.InvariantCulture, $"the Lanczos guard found lambda_max >= {lambdaMax:G6} >= 2(1+beta)/eta = {settings.CurvatureLimit:G6}"));
        else
        {
            estimate = aroundTrace
                ? CurvatureEstimation.AroundTrace(hessian, regularizer.Term, RemainderSlope, trace!, basis, top.Products,
                    $"{request.Estimator.Name()}: tr∇²L/4 ({trace!.Estimator}) + deflated SLQ on r(x) − x/4", regularizerGenerator, regularizerBudget, request.LanczosSteps)
                : CurvatureEstimation.Function(hessian, regularizer.Term, basis, top.Products,
                    request.Estimator == CurvatureEstimator.DeflatedSlq ? "deflated-slq" : $"{request.Estimator.Name()} (plain SLQ)", regularizerGenerator, regularizerBudget, request.LanczosSteps);
            if (double.IsPositiveInfinity(estimate.Estimate))
                estimate = estimate with { Stop = EstimateStop.BeyondStabilityLimit, Detail = "an SLQ node reached 2(1+beta)/eta; " + estimate.Detail };
            else if (lambdaMax + residual >= settings.CurvatureLimit && double.IsFinite(estimate.Estimate))
                estimate = estimate with { Caution = string.Create(CultureInfo.InvariantCulture,
                    $"caution: lambda_max may reach 2(1+beta)/eta = {settings.CurvatureLimit:G6} (Lanczos estimate {lambdaMax:G6} +/- {residual:G3}), where R = +infinity") };
        }
        // The trace's products are inside R's count when R was built around it.
        int traceProducts = trace?.Products ?? 0;
        int products = aroundTrace && lambdaMax < settings.CurvatureLimit ? estimate.Products : traceProducts + estimate.Products;
        return new CurvatureResult(trace, estimate, lambdaMax, residual, basis.Count, blocks, products, clock.Elapsed.TotalSeconds);
    }
}
