using LabelNoise.Curvature;
using LabelNoise.Measurement;
using LabelNoise.Objectives;
using LabelNoise.Theory;
using Generator = LabelNoise.Randomness.Generator;

namespace LabelNoise.Experiments;

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
