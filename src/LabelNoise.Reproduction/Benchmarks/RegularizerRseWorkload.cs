using LabelNoise.Measurement;
using LabelNoise.Theory;
using LabelNoise.Randomness;

namespace LabelNoise.Benchmarks;

/// <summary>
/// regularizer-rse: R(θ) = −1/(2η) tr log(I − η∇²L/2) of the trained MLP (<see cref="TrainedMlp"/>, η =
/// <see cref="BenchSettings.RegularizerLearningRate"/>) to <see cref="BenchSettings.RseTarget"/> relative
/// standard error by the best estimator (<see cref="CurvatureMeasurer"/>, auto: R = tr ∇²L/4 with the trace
/// exact, plus SLQ on r(x) − x/4 deflated by those of the λ_max guard's top Ritz vectors that pay), against the composed PyTorch peer
/// (the same exact trace by the GGN factorization, the same guard, plain SLQ on r(x) − x/4 to the same target by our stopping rule) and the plain peer
/// doing what PyHessian does (plain SLQ, full reorthogonalization, the same Lanczos steps per probe, probes
/// until the same target, or stopped at a cap and extrapolated with SE² ∝ 1/products).
/// </summary>
public sealed class RegularizerRseWorkload : IBenchWorkload
{
    public string Name => "regularizer-rse";
    public string Description => "R(θ) of the trained MLP on 2,000 examples to 1 % relative standard error (ours: best estimator; peer: the composed PyTorch peer; plain: SLQ as PyHessian)";
    public string PeerFamily => "mlp";

    public WorkloadMeasurement Run(BenchContext context)
    {
        var s = context.Settings;
        using var point = new TrainedMlp(context);
        var request = new CurvatureRequest
        {
            TargetRelativeStandardError = s.RseTarget,
            Probes = s.RseMaxProducts,
            Regularizer = new RegularizerSettings(s.RegularizerLearningRate),
            LanczosSteps = s.SlqLanczosSteps,
            GuardSteps = s.SlqGuardSteps,
            Deflation = s.SlqDeflation,
        };
        CurvatureResult? last = null;
        var timing = RepeatedTiming.Measure(() => last = CurvatureMeasurer.Measure(point.Objective, request, new RandomStream(s.Seed + 4)), s.RegularizerRse);
        return RseMeasurement.Of(Name, Description, point, timing, last!.Regularizer!, s, new Dictionary<string, double>
        {
            ["trace"] = last.Trace!.Estimate,
            ["largest_eigenvalue"] = last.LargestEigenvalue ?? double.NaN,
            ["learning_rate"] = s.RegularizerLearningRate,
            ["lanczos_steps"] = s.SlqLanczosSteps,
            ["guard_steps"] = s.SlqGuardSteps,
            ["max_deflation_vectors"] = s.SlqDeflation,
            ["deflation_vectors"] = last.DeflationVectors,
            ["probes"] = last.Regularizer!.Samples,
        });
    }
}
