using System.Diagnostics;
using System.Globalization;
using LabelNoise.Curvature;
using LabelNoise.Objectives;
using LabelNoise.Randomness;
using LabelNoise.Theory;

namespace LabelNoise.Measurement;

/// <summary>
/// Measures a point: exactly from the dense Hessian for small models, otherwise by Hutchinson
/// (trace, Gauss–Newton trace, per-block traces), Lanczos (λ_max) and stochastic Lanczos
/// quadrature (R with f(x) = −log(1 − η'x/2)/(2η'), guarded by λ_max).
/// </summary>
public static class PointMeasurer
{
    /// <summary>Beyond this many parameters, exact measurement (dense P×P matrices) is refused.</summary>
    public const int MaxExactParameters = 4000;

    public static PointMeasurement Measure(IObjective objective, MeasurementSettings settings)
    {
        settings.Validate();
        return settings.Exact ? MeasureExactly(objective, settings) : MeasureByEstimates(objective, settings);
    }

    static PointMeasurement MeasureExactly(IObjective objective, MeasurementSettings settings)
    {
        if (objective.Dimension > MaxExactParameters)
            throw new SettingException($"exact measurement builds dense {objective.Dimension}×{objective.Dimension} matrices; it is for models of at most {MaxExactParameters} parameters (estimate larger ones)");
        var clock = Stopwatch.StartNew();
        var point = new RegularizedLoss(objective, settings.Regularizer, settings.Lambda).Evaluate();
        var gaussNewton = DenseSymmetric.FromOperator(objective.GaussNewton());
        double gnTrace = 0;
        for (int i = 0; i < objective.Dimension; i++) gnTrace += gaussNewton[i, i];
        double top = point.HessianEigenvalues[^1];
        var warnings = new List<string>();
        if (!point.IsFinite) warnings.Add(InfiniteWarning(settings, top));
        return new PointMeasurement
        {
            Loss = point.Loss,
            GradientNorm = Norm(point.Gradient),
            Trace = new Estimate(point.HessianEigenvalues.Sum()),
            TopEigenvalue = new Estimate(top),
            MinEigenvalue = point.HessianEigenvalues[0],
            GaussNewtonTrace = new Estimate(gnTrace),
            Lambda = settings.Lambda,
            Regularizer = new Estimate(point.Regularizer),
            RegularizedLoss = new Estimate(point.RegularizedLoss),
            RegularizerGradientNorm = point.RegularizerGradient is { } rg ? Norm(rg) : null,
            RegularizedGradientNorm = point.RegularizedGradient is { } g ? Norm(g) : null,
            StepTimesTopEigenvalue = settings.LearningRate * top,
            Exact = true,
            ParameterCount = objective.Dimension,
            ExampleCount = objective.ExampleCount,
            Products = 2 * objective.Dimension,
            Seconds = clock.Elapsed.TotalSeconds,
            Warnings = warnings,
        };
    }

    static PointMeasurement MeasureByEstimates(IObjective objective, MeasurementSettings settings)
    {
        var clock = Stopwatch.StartNew();
        var root = new RandomStream(settings.Seed);
        var probes = settings.TargetRelativeStandardError is double target
            ? ProbeOptions.UntilRelativeStandardError(target, Math.Min(10, settings.Probes), settings.Probes)
            : ProbeOptions.Fixed(settings.Probes);
        double loss = objective.Loss();
        double gradientNorm = Norm(objective.Gradient());
        int steps = Math.Min(settings.LanczosSteps, objective.Dimension);
        var curvature = CurvatureMeasurer.Measure(objective, settings.CurvatureRequest(objective.Dimension), root.Split());
        var trace = curvature.Trace!;
        var regularizer = curvature.Regularizer!;
        // Per-block traces and tr G: exact with the trace where it is exact (tr G = tr ∇²L there), else Hutchinson.
        bool exact = curvature.ExactBlockTraces.Count > 0;
        var blocks = exact ? null : BlockTrace.Estimate(objective.Hessian(), objective.Blocks, root.Split(), probes);
        var gaussNewton = exact ? null : HutchinsonTrace.Estimate(objective.GaussNewton(), root.Split(), probes);
        double lambdaMax = curvature.LargestEigenvalue ?? double.NaN;
        var warnings = new List<string>();
        if (double.IsPositiveInfinity(regularizer.Estimate)) warnings.Add(InfiniteWarning(settings, lambdaMax));
        else if (regularizer.Caution is { } caution) warnings.Add(caution);
        if (settings.TargetRelativeStandardError is not null && !trace.ReachedTarget)
            warnings.Add("the trace did not reach the target relative standard error within the probe budget");
        if (settings.TargetRelativeStandardError is not null && double.IsFinite(regularizer.Estimate) && !regularizer.ReachedTarget)
            warnings.Add("R did not reach the target relative standard error within the probe budget");
        double rError = double.IsFinite(regularizer.Estimate) ? regularizer.StandardError : 0;
        return new PointMeasurement
        {
            Loss = loss,
            GradientNorm = gradientNorm,
            Trace = Of(trace),
            TopEigenvalue = new Estimate(lambdaMax),
            TopEigenvalueResidual = curvature.LargestEigenvalueResidual,
            GaussNewtonTrace = gaussNewton is null ? Of(trace) : new Estimate(gaussNewton.Estimate, gaussNewton.StandardError),
            Lambda = settings.Lambda,
            Regularizer = new Estimate(regularizer.Estimate, rError),
            RegularizedLoss = new Estimate(loss + settings.Lambda * regularizer.Estimate, settings.Lambda * rError),
            StepTimesTopEigenvalue = settings.LearningRate * lambdaMax,
            BlockTraces = blocks is null
                ? curvature.ExactBlockTraces.Select(b => (b.Block, new Estimate(b.Trace))).ToArray()
                : blocks.Blocks.Select(b => (b.Name, new Estimate(b.Estimate, b.StandardError))).ToArray(),
            Exact = false,
            ParameterCount = objective.Dimension,
            ExampleCount = objective.ExampleCount,
            Products = curvature.Products + (blocks?.Products ?? 0) + (gaussNewton?.Products ?? 0), // R's count includes the λ_max run
            Seconds = clock.Elapsed.TotalSeconds,
            Warnings = warnings,
            CurvatureEstimator = trace.Estimator,
            RegularizerEstimator = regularizer.Estimator,
            TraceStopReason = trace.StopReason,
            RegularizerStopReason = regularizer.StopReason,
        };
    }

    /// <summary>
    /// The Hessian's spectral density (1/P)Σδ(t − λᵢ) by stochastic Lanczos quadrature (plain, not
    /// deflated: every probe's Ritz values and weights), broadened by a Gaussian of width
    /// <paramref name="bandwidth"/> (default: 1 % of the spectrum's range) on <paramref name="points"/> points.
    /// </summary>
    public static SpectralDensity Density(IObjective objective, MeasurementSettings settings, int points = 400, double? bandwidth = null)
    {
        settings.Validate();
        if (points < 2) throw new SettingException($"the density needs at least 2 points, not {points}");
        var slq = StochasticLanczosQuadrature.Estimate(objective.Hessian(), x => x, new RandomStream(settings.Seed).Split(),
            ProbeOptions.Fixed(settings.Probes), Math.Min(settings.LanczosSteps, objective.Dimension));
        double low = slq.Quadratures.Min(r => r.Nodes.Min()), high = slq.Quadratures.Max(r => r.Nodes.Max());
        double width = bandwidth ?? Math.Max(1e-12, (high - low) / 100);
        if (!(width > 0)) throw new SettingException($"the bandwidth must be positive, not {width}");
        return StochasticLanczosQuadrature.GaussianDensity(slq.Quadratures, points, width);
    }

    static string InfiniteWarning(MeasurementSettings settings, double lambdaMax) => string.Create(CultureInfo.InvariantCulture,
        $"R is infinite: η·λ_max = {settings.LearningRate * lambdaMax:G4} ≥ 2(1+β) = {2 * (1 + settings.Momentum):G4}, i.e. the learning rate is beyond the stability limit 2(1+β)/λ_max = {2 * (1 + settings.Momentum) / lambdaMax:G4}");

    /// <summary>An estimate as a user reads it: exact values without a standard error.</summary>
    static Estimate Of(CurvatureEstimate e) => new(e.Estimate, e.Stop == EstimateStop.Exact ? null : e.StandardError);

    static double Norm(double[] v) => Math.Sqrt(v.Sum(x => x * x));
}
