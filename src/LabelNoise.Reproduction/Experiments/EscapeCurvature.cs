using LabelNoise.Curvature;
using LabelNoise.Measurement;
using LabelNoise.Objectives;
using LabelNoise.Theory;
using Generator = LabelNoise.Randomness.Generator;

namespace LabelNoise.Experiments;

/// <summary>Which estimator <see cref="EscapeCurvature"/> uses for tr ∇²L and R.</summary>
public enum CurvatureEstimator
{
    /// <summary>
    /// The library's best (<see cref="CurvatureMeasurer"/>, estimator auto): tr ∇²L exactly where the model allows it (a ReLU
    /// MLP: tr ∇²L = tr G, no probes), else adaptively deflated probes; R = tr ∇²L/4 + SLQ on the remainder r(x) − x/4, with
    /// the same product budget as the shared SLQ (<see cref="CurvatureSettings.Products"/>), stopping early at 2 % relative SE.
    /// On a bare operator (no model to take the trace from) it is <see cref="SharedDeflatedSlq"/>.
    /// </summary>
    Library,

    /// <summary>
    /// Deflated SLQ with shared probes: a Lanczos run gives λ_max (the R = +∞ guard) and the top <see cref="CurvatureSettings.Deflation"/>
    /// Ritz vectors Q; tr f(H) = Σⱼ qⱼᵀf(H)qⱼ + E[wᵀf(H)w] with w = (I − QQᵀ)v for Rademacher v; every probe's Gauss quadrature gives
    /// wᵀHw exactly (degree 1) and wᵀr(H)w, so tr ∇²L and R come from the same products.
    /// </summary>
    SharedDeflatedSlq,

    /// <summary>The plain estimators: Hutchinson for tr ∇²L and, with separate probes, SLQ for R (products: probes + probes × steps + guard).</summary>
    HutchinsonAndSlq,
}

/// <summary>How tr ∇²L and R are measured along an escape run.</summary>
public sealed record CurvatureSettings
{
    /// <summary>
    /// Training examples (the first of the class-balanced set) the smoothed loss L is taken over. A point's cost is proportional to it
    /// (MLP 256-256, one thread: 1.41 s at 500 images, 0.75 s at 250, 36 products each).
    /// </summary>
    public int Examples { get; init; } = 250;

    public CurvatureEstimator Estimator { get; init; } = CurvatureEstimator.Library;

    /// <summary>Rademacher probes.</summary>
    public int Probes { get; init; } = 16;

    /// <summary>Lanczos steps per probe (Gauss quadrature exact for polynomials of degree ≤ 2·steps − 1).</summary>
    public int LanczosSteps { get; init; } = 4;

    /// <summary>Lanczos steps of the λ_max guard, which also gives the deflation vectors.</summary>
    public int GuardSteps { get; init; } = 4;

    /// <summary>Top Ritz vectors treated exactly (0: none).</summary>
    public int Deflation { get; init; }

    public void Validate()
    {
        if (Examples < 1) throw new ArgumentOutOfRangeException(nameof(Examples), Examples, "at least one example is needed");
        if (Probes < 2) throw new ArgumentOutOfRangeException(nameof(Probes), Probes, "a standard error needs at least 2 probes");
        if (LanczosSteps < 2) throw new ArgumentOutOfRangeException(nameof(LanczosSteps), LanczosSteps, "at least 2 Lanczos steps are needed");
        if (GuardSteps < 2) throw new ArgumentOutOfRangeException(nameof(GuardSteps), GuardSteps, "at least 2 Lanczos steps are needed");
        if (Deflation < 0 || Deflation > GuardSteps) throw new ArgumentOutOfRangeException(nameof(Deflation), Deflation, "between 0 and the guard's steps");
    }

    /// <summary>Operator products per measured point (the cost; an HVP costs about two gradients on <see cref="Examples"/> examples).</summary>
    public int Products => Estimator != CurvatureEstimator.HutchinsonAndSlq
        ? GuardSteps + Deflation * ColumnSteps(LanczosSteps) + Probes * LanczosSteps
        : Probes + GuardSteps + Probes * LanczosSteps;

    /// <summary>Lanczos steps for the quadrature of one deflation vector: a Ritz vector is nearly an eigenvector, so a few suffice.</summary>
    internal static int ColumnSteps(int lanczosSteps) => Math.Min(lanczosSteps, 4);
}

/// <summary>tr ∇²L and R at a point, each with its standard error over probes, and the Lanczos λ_max.</summary>
public sealed record CurvatureNumbers(double Trace, double TraceStandardError, double Regularizer, double RegularizerStandardError, double LargestEigenvalue, int Products);

/// <summary>
/// The one place the escape and momentum experiments estimate curvature: switch <see cref="CurvatureSettings.Estimator"/>
/// (or this method) to change the estimator of every number they show.
/// </summary>
public static class EscapeCurvature
{
    /// <summary>Relative standard error at which <see cref="CurvatureEstimator.Library"/> stops before its budget is spent.</summary>
    public const double TargetRelativeStandardError = 0.02;

    /// <summary>tr ∇²L and R of <paramref name="objective"/> by <see cref="CurvatureSettings.Estimator"/>.</summary>
    public static CurvatureNumbers Estimate(IObjective objective, CurvatureSettings settings, RegularizerSettings regularizer, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Estimator != CurvatureEstimator.Library) return Estimate(objective.Hessian(), settings, regularizer, generator);
        settings.Validate();
        var measured = CurvatureMeasurer.Measure(objective, new CurvatureRequest
        {
            Estimator = TraceEstimator.Auto,
            TargetRelativeStandardError = TargetRelativeStandardError,
            MaxProducts = settings.Probes,
            MinSamples = Math.Min(settings.Probes, 8),
            Regularizer = regularizer,
            LanczosSteps = settings.LanczosSteps,
            GuardSteps = settings.GuardSteps,
            Deflation = settings.Deflation,
        }, generator);
        var r = measured.Regularizer!;
        return new CurvatureNumbers(measured.Trace.Estimate, measured.Trace.StandardError, r.Estimate, r.StandardError,
            measured.LargestEigenvalue ?? double.NaN, measured.Products);
    }

    public static CurvatureNumbers Estimate(ILinearOperator hessian, CurvatureSettings settings, RegularizerSettings regularizer, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(hessian);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(generator);
        settings.Validate();
        var r = new ImplicitRegularizer(regularizer);
        int lanczos = Math.Min(settings.LanczosSteps, hessian.Dimension), guard = Math.Min(settings.GuardSteps, hessian.Dimension);
        if (settings.Estimator == CurvatureEstimator.HutchinsonAndSlq)
        {
            var trace = HutchinsonTrace.Estimate(hessian, generator.Split(), settings.Probes);
            var slq = r.FromSlq(hessian, generator.Split(), ProbeOptions.Fixed(settings.Probes), lanczos, guard);
            return new CurvatureNumbers(trace.Estimate, trace.StandardError, slq.Estimate, slq.StandardError, slq.LargestEigenvalue, trace.Products + slq.Products);
        }

        var top = Lanczos.TopEigenvalues(hessian, Math.Max(1, Math.Min(settings.Deflation, guard)), guard, generator.Split(), computeVectors: settings.Deflation > 0);
        int products = top.Products;
        double lambdaMax = top.Values[0];
        bool infinite = lambdaMax >= regularizer.CurvatureLimit;
        double traceDeflated = 0, regularizerDeflated = 0;
        var basis = settings.Deflation > 0 ? top.Vectors! : [];
        foreach (var column in basis)
        {
            var rule = StochasticLanczosQuadrature.Quadrature(hessian, column, CurvatureSettings.ColumnSteps(lanczos));
            products += rule.Products;
            traceDeflated += rule.Integrate(x => x);
            if (!infinite) regularizerDeflated += rule.Integrate(r.Term);
        }
        var probes = generator.Split();
        var probe = new double[hessian.Dimension];
        var traces = new double[settings.Probes];
        var regularizers = new double[settings.Probes];
        for (int i = 0; i < settings.Probes; i++)
        {
            Vectors.FillRademacher(probe, probes);
            foreach (var column in basis)
            {
                double c = Vectors.Dot(column, probe);
                for (int j = 0; j < probe.Length; j++) probe[j] -= c * column[j];
            }
            var rule = StochasticLanczosQuadrature.Quadrature(hessian, probe, lanczos);
            products += rule.Products;
            traces[i] = traceDeflated + rule.Integrate(x => x);
            regularizers[i] = infinite ? double.PositiveInfinity : regularizerDeflated + rule.Integrate(r.Term);
            lambdaMax = Math.Max(lambdaMax, rule.Nodes.Max());
        }
        var (traceMean, traceError) = Vectors.MeanAndStandardError(traces);
        if (infinite || regularizers.Any(double.IsPositiveInfinity) || lambdaMax >= regularizer.CurvatureLimit)
            return new CurvatureNumbers(traceMean, traceError, double.PositiveInfinity, 0, lambdaMax, products);
        var (regularizerMean, regularizerError) = Vectors.MeanAndStandardError(regularizers);
        return new CurvatureNumbers(traceMean, traceError, regularizerMean, regularizerError, lambdaMax, products);
    }
}
