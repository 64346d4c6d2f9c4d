using System.Globalization;
using LabelNoise.Curvature;
using LabelNoise.Theory;
using Generator = LabelNoise.Randomness.Generator;

namespace LabelNoise.Benchmarks;

/// <summary>
/// slq-regularizer: the implicit regularizer R(θ) = −1/(2η) tr log(1 − η/2 ∇²L) of the MLP at the
/// point label-flip SGD reaches after <see cref="BenchSettings.SlqTrainingSteps"/> steps (untimed), by <see cref="ImplicitRegularizer.FromSlq(ILinearOperator, Generator, ProbeOptions, int, int, int)"/>:
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
        var root = new Generator(settings.Seed);
        var warm = new double[objective.Dimension];
        Vectors.FillRademacher(warm, root.Split());
        hessian.Apply(warm); // builds the gradient graph that every product reuses

        var regularizer = new ImplicitRegularizer(settings.RegularizerLearningRate);
        var probes = ProbeOptions.UntilRelativeStandardError(settings.SlqTargetRelativeStandardError, settings.SlqMinProbes, settings.SlqMaxProbes);
        int deflation = Math.Min(settings.SlqDeflation, settings.SlqGuardSteps);
        EigenvalueEstimate? top = null;
        RegularizerEstimate? estimate = null;
        var timing = RepeatedTiming.Measure(() =>
        {
            // What FromSlq(…, deflation) does, spelled out to see the deflation vectors; the same
            // seed in every repeat, so that every repeat does the same products.
            var generator = new Generator(settings.Seed + 1);
            top = Lanczos.TopEigenvalues(hessian, Math.Max(1, deflation), settings.SlqGuardSteps, generator, computeVectors: deflation > 0);
            estimate = regularizer.FromSlq(hessian, top, generator, probes, settings.SlqLanczosSteps);
        }, settings.Slq);
        return new WorkloadMeasurement(Name, Description, timing, 0,
            new Dictionary<string, double>
            {
                ["products"] = estimate!.Products,
                ["probes"] = estimate.Probes,
                ["seconds"] = timing.MedianMilliseconds / 1000,
                ["ms_per_product"] = timing.MedianMilliseconds / estimate.Products,
                ["regularizer"] = estimate.Estimate,
                ["relative_standard_error"] = estimate.StandardError / Math.Abs(estimate.Estimate),
                ["largest_eigenvalue"] = estimate.LargestEigenvalue,
                ["learning_rate"] = settings.RegularizerLearningRate,
                ["training_steps"] = settings.SlqTrainingSteps,
                ["loss"] = objective.Loss(),
                ["lanczos_steps"] = settings.SlqLanczosSteps,
                ["guard_steps"] = settings.SlqGuardSteps,
                ["deflation_vectors"] = top!.Vectors?.Length ?? 0,
            },
            new Dictionary<string, string>
            {
                ["stop_reason"] = estimate.StopReason,
                ["target"] = string.Create(CultureInfo.InvariantCulture, $"relative standard error {settings.SlqTargetRelativeStandardError}, probes {settings.SlqMinProbes}..{settings.SlqMaxProbes}"),
            });
    }
}
