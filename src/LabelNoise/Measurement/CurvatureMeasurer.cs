using System.Diagnostics;
using System.Globalization;
using LabelNoise.Curvature;
using LabelNoise.Objectives;
using LabelNoise.Randomness;
using LabelNoise.Theory;

namespace LabelNoise.Measurement;

/// <summary>
/// The one entry point for tr ∇²L and R(θ) at a point to a target relative standard error or a product
/// budget (escape, momentum, <c>measure</c>, <c>bench</c>).
/// <list type="bullet">
/// <item>auto: tr ∇²L exactly where the objective can (<see cref="IObjective.ExactHessianTrace"/>: a ReLU MLP,
/// no Hessian-vector products), else adaptively deflated probes; R = tr ∇²L/4 + tr(r(∇²L) − ∇²L/4) with the
/// remainder, O(ηλ²), by SLQ deflated with the guard run's top Ritz vectors.</item>
/// <item>hutchinson, slq: Rademacher probes for the trace; plain SLQ on r for R (what PyHessian does).</item>
/// <item>deflated-slq: adaptively deflated probes for the trace; SLQ on r deflated by the guard's Ritz vectors for R.</item>
/// <item>xtrace, hutch++: that estimator for the trace, and R around it as auto does.</item>
/// </list>
/// Every R run first takes <see cref="CurvatureRequest.GuardSteps"/> Lanczos steps for λ_max: R = +∞
/// (certain: Ritz values never exceed λ_max) when η'λ reaches 2.
/// </summary>
public static class CurvatureMeasurer
{
    public static PointCurvature Measure(IObjective objective, CurvatureRequest request, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(generator);
        request.Validate();
        var clock = Stopwatch.StartNew();
        var (traceGenerator, guardGenerator, regularizerGenerator) = (generator.Split(), generator.Split(), generator.Split());
        var hessian = objective.Hessian();
        var budget = request.Budget;
        bool aroundTrace = request.Regularizer is not null && request.Estimator is TraceEstimator.Auto or TraceEstimator.XTrace or TraceEstimator.HutchPlusPlus;
        // R around an estimated trace: the trace takes half of R's variance (R ≈ tr/4).
        var traceBudget = aroundTrace && request.TargetRelativeStandardError is double r
            ? new EstimationBudget(r / Math.Sqrt(2), request.MaxProducts, request.MinSamples)
            : budget;

        var exact = request.Estimator == TraceEstimator.Auto ? objective.ExactHessianTrace() : null;
        var trace = exact is not null
            ? new CurvatureEstimate("exact", exact.Value, 0, 0, $"{ProbeStopReasons.Exact} ({exact.Method})")
            : TraceEstimation.Trace(hessian, request.Estimator, traceBudget, traceGenerator, request.Sketch);
        if (request.Regularizer is not { } settings)
            return new PointCurvature(trace, null, null, null, exact?.Blocks ?? [], trace.Products, clock.Elapsed.TotalSeconds);

        var regularizer = new ImplicitRegularizer(settings);
        // R's probes cost LanczosSteps products each: the same number of samples as the trace's budget allows.
        var regularizerBudget = new EstimationBudget(request.TargetRelativeStandardError,
            (int)Math.Min(int.MaxValue / 2, (long)request.MaxProducts * request.LanczosSteps + request.GuardSteps), request.MinSamples);
        int guardSteps = Math.Min(request.GuardSteps, objective.Dimension);
        int deflation = Math.Min(request.Deflation, guardSteps);
        bool deflate = deflation > 0 && request.Estimator is not (TraceEstimator.Hutchinson or TraceEstimator.Slq);
        var top = Lanczos.TopEigenvalues(hessian, Math.Max(1, deflation), guardSteps, guardGenerator, computeVectors: deflate);
        double lambdaMax = top.Values[0], residual = top.ResidualBounds[0];
        CurvatureEstimate estimate;
        if (lambdaMax >= settings.CurvatureLimit)
            estimate = new CurvatureEstimate(request.Estimator.Name(), double.PositiveInfinity, 0, top.Products, string.Create(CultureInfo.InvariantCulture,
                $"R = +infinity: the Lanczos guard found lambda_max >= {lambdaMax:G6} >= 2(1+beta)/eta = {settings.CurvatureLimit:G6}"));
        else
        {
            IReadOnlyList<double[]> basis = deflate ? top.Vectors! : [];
            estimate = aroundTrace
                ? TraceEstimation.AroundTrace(hessian, regularizer.Term, 0.25, trace, basis, top.Products,
                    $"{request.Estimator.Name()}: tr∇²L/4 ({trace.Estimator}) + deflated SLQ on r(x) − x/4", regularizerGenerator, regularizerBudget, request.LanczosSteps)
                : TraceEstimation.Function(hessian, regularizer.Term, basis, top.Products,
                    request.Estimator == TraceEstimator.DeflatedSlq ? "deflated-slq" : $"{request.Estimator.Name()} (plain SLQ)", regularizerGenerator, regularizerBudget, request.LanczosSteps);
            if (lambdaMax + residual >= settings.CurvatureLimit && double.IsFinite(estimate.Estimate))
                estimate = estimate with { StopReason = estimate.StopReason + string.Create(CultureInfo.InvariantCulture,
                    $"; caution: lambda_max may reach 2(1+beta)/eta = {settings.CurvatureLimit:G6} (Lanczos estimate {lambdaMax:G6} +/- {residual:G3}), where R = +infinity") };
        }
        // The trace's products are inside R's count when R was built around it.
        int products = aroundTrace && lambdaMax < settings.CurvatureLimit ? estimate.Products : trace.Products + estimate.Products;
        return new PointCurvature(trace, estimate, lambdaMax, residual, exact?.Blocks ?? [], products, clock.Elapsed.TotalSeconds);
    }
}
