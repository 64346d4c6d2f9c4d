using System.Globalization;
using LabelNoise.Curvature;
using LabelNoise.Measurement;
using LabelNoise.Theory;
using LabelNoise.Randomness;

namespace LabelNoise.Benchmarks;

/// <summary>
/// slq-regularizer: the implicit regularizer R(θ) = −1/(2η) tr log(1 − η/2 ∇²L) of the MLP at the
/// point label-flip SGD reaches after <see cref="BenchSettings.SlqTrainingSteps"/> steps (untimed), by <see cref="CurvatureMeasurer"/> (deflated-slq, R only):
/// a Lanczos guard run whose top Ritz vectors deflate the probes, then SLQ probes until the relative
/// standard error reaches the target (or the probe cap). Every repeat draws the same probes (same
/// seed), so that every repeat does the same products (and the peer can do exactly as many); the operator
/// is warmed (graph built) before timing. Reports Hessian-vector products and seconds.
/// </summary>
public sealed class SlqRegularizerWorkload : IBenchWorkload
{
    public string Name => "slq-regularizer";
    public string Description => "R(θ) of the MLP (after 1,000 label-flip SGD steps) by deflated SLQ to 1 % relative standard error on 1,024 examples";
    public string PeerFamily => "mlp";

    public WorkloadMeasurement Run(BenchContext context)
    {
        var settings = context.Settings;
        var data = context.MlpData;
        using var loss = new MlpLoss(context);
        var objective = loss.Objective;
        objective.SetParameters(MlpFixture.TrainedParameters(data, settings.Seed, settings.SlqTrainingSteps, settings.SlqTrainingRate, settings.MlpBatchSize, settings.FlipProbability));
        var hessian = objective.Hessian();
        var root = new RandomStream(settings.Seed);
        var warm = new double[objective.Dimension];
        Vectors.FillRademacher(warm, root.Split());
        hessian.Apply(warm); // builds the gradient graph that every product reuses

        var request = new CurvatureRequest
        {
            Estimator = settings.SlqDeflation > 0 ? CurvatureEstimator.DeflatedSlq : CurvatureEstimator.Slq,
            Trace = false,
            Regularizer = new RegularizerSettings(settings.RegularizerLearningRate),
            TargetRelativeStandardError = settings.SlqTargetRelativeStandardError,
            MinSamples = settings.SlqMinProbes,
            Probes = settings.SlqMaxProbes,
            LanczosSteps = settings.SlqLanczosSteps,
            GuardSteps = settings.SlqGuardSteps,
            Deflation = settings.SlqDeflation,
        };
        CurvatureResult? result = null;
        // The same seed in every repeat, so that every repeat does the same products.
        var timing = RepeatedTiming.Measure(() => result = CurvatureMeasurer.Measure(hessian, request, new RandomStream(settings.Seed + 1)), settings.Slq);
        var estimate = result!.Regularizer!;
        return new WorkloadMeasurement(Name, Description, timing, 0,
            new Dictionary<string, double>
            {
                ["products"] = estimate!.Products,
                ["probes"] = estimate.Samples,
                ["seconds"] = timing.MedianMilliseconds / 1000,
                ["ms_per_product"] = timing.MedianMilliseconds / estimate.Products,
                ["regularizer"] = estimate.Estimate,
                ["relative_standard_error"] = estimate.StandardError / Math.Abs(estimate.Estimate),
                ["largest_eigenvalue"] = result.LargestEigenvalue ?? double.NaN,
                ["learning_rate"] = settings.RegularizerLearningRate,
                ["training_steps"] = settings.SlqTrainingSteps,
                ["loss"] = objective.Loss(),
                ["lanczos_steps"] = settings.SlqLanczosSteps,
                ["guard_steps"] = settings.SlqGuardSteps,
                ["deflation_vectors"] = result.DeflationVectors,
            },
            new Dictionary<string, string>
            {
                ["stop_reason"] = estimate.StopReason,
                ["target"] = string.Create(CultureInfo.InvariantCulture, $"relative standard error {settings.SlqTargetRelativeStandardError}, probes {settings.SlqMinProbes}..{settings.SlqMaxProbes}"),
            });
    }
}
