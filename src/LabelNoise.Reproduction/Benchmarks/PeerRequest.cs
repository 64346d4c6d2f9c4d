using System.Text.Json.Nodes;

namespace LabelNoise.Benchmarks;

/// <summary>
/// The one JSON argument of a peer script: the same sizes, seeds and timing plans as our side, and
/// for slq-regularizer the probe and deflation counts our run used, so that the peer does as many
/// Hessian-vector products and Lanczos steps.
/// </summary>
public static class PeerRequest
{
    /// <param name="plain">Whether the minutes-long plain peers of trace-rse and regularizer-rse run (the first round only).</param>
    public static JsonObject For(string family, BenchSettings settings, IReadOnlyList<WorkloadMeasurement> ours, bool plain = true)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(ours);
        var names = ours.Where(m => BenchSuite.Workload(m.Name).PeerFamily == family).Select(m => m.Name).ToArray();
        var request = new JsonObject
        {
            ["threads"] = settings.Threads,
            ["seed"] = settings.Seed,
            ["workloads"] = new JsonArray(names.Select(n => (JsonNode)JsonValue.Create(n)).ToArray()),
        };
        switch (family)
        {
            case "mlp":
                request["examples"] = settings.MlpExamples;
                request["batch_size"] = settings.MlpBatchSize;
                request["flip_probability"] = settings.FlipProbability;
                request["learning_rate"] = settings.MlpLearningRate;
                request["trace_probes"] = settings.TraceProbes;
                request["escape_batch_size"] = settings.EscapeBatchSize;
                request["matmul_size"] = settings.MatmulSize;
                request["plans"] = new JsonObject
                {
                    ["matmul"] = Plan(settings.Matmul),
                    ["mlp-step"] = Plan(settings.MlpStep),
                    ["mlp-hvp"] = Plan(settings.MlpHvp),
                    ["gradient"] = Plan(settings.MlpGradient),
                    ["mlp-trace"] = Plan(settings.MlpTrace),
                    ["slq-regularizer"] = Plan(settings.Slq),
                    ["mlp-step-b32"] = Plan(settings.MlpStep),
                    ["trace-rse"] = Plan(settings.TraceRse),
                    ["regularizer-rse"] = Plan(settings.RegularizerRse),
                };
                if (ours.FirstOrDefault(m => m.Name is "trace-rse" or "regularizer-rse") is { } rse)
                    request["rse"] = new JsonObject
                    {
                        ["folder"] = rse.Notes["peer_data"],
                        ["blocks"] = rse.Notes["parameter_blocks"],
                        ["examples"] = (int)(rse.Figure("examples") ?? 0),
                        ["flip_probability"] = settings.FlipProbability,
                        ["target"] = settings.RseTarget,
                        ["min_samples"] = Curvature.EstimationBudget.DefaultMinSamples,
                        // The composed peer stops by our rule: from the early probe count on, its SE inflated by Student's t factor until the minimum.
                        ["early_samples"] = Measurement.CurvatureMeasurer.EarlyRemainderProbes,
                        ["inflation"] = Inflation(Measurement.CurvatureMeasurer.EarlyRemainderProbes, Curvature.EstimationBudget.DefaultMinSamples),
                        ["max_products"] = settings.PeerRseMaxProducts,
                        ["max_seconds"] = settings.PeerRseSeconds,
                        ["learning_rate"] = settings.RegularizerLearningRate,
                        ["lanczos_steps"] = settings.SlqLanczosSteps,
                        ["guard_steps"] = settings.SlqGuardSteps,
                        ["plain"] = plain,
                    };
                if (ours.FirstOrDefault(m => m.Name == "slq-regularizer") is { } slq)
                    request["slq"] = new JsonObject
                    {
                        ["learning_rate"] = settings.RegularizerLearningRate,
                        ["lanczos_steps"] = settings.SlqLanczosSteps,
                        ["guard_steps"] = settings.SlqGuardSteps,
                        ["deflation_vectors"] = (int)(slq.Figure("deflation_vectors") ?? 0),
                        ["probes"] = (int)(slq.Figure("probes") ?? 0),
                    };
                break;
            case "quadratic":
                request["features"] = settings.QuadraticFeatures;
                request["examples"] = settings.QuadraticExamples;
                request["support"] = settings.QuadraticSupport;
                request["learning_rate"] = settings.QuadraticLearningRate;
                request["noise_std"] = settings.QuadraticNoiseStdDev;
                request["run_steps"] = settings.QuadraticRunSteps;
                request["plans"] = new JsonObject
                {
                    ["quadratic-step"] = Plan(settings.PeerQuadraticStep),
                    ["quadratic-run"] = Plan(settings.PeerQuadraticRun),
                };
                break;
            default:
                throw new ArgumentException($"unknown peer family '{family}' (families: mlp, quadratic)", nameof(family));
        }
        return request;
    }

    /// <summary>Student's t inflation of a standard error from n samples, for n from <paramref name="early"/> below <paramref name="minimum"/> (keys: n).</summary>
    static JsonObject Inflation(int early, int minimum)
    {
        var factors = new JsonObject();
        for (int n = Math.Max(2, early); n < minimum; n++) factors[n.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Curvature.StudentT.TwoSigmaInflation(n);
        return factors;
    }

    static JsonObject Plan(TimingPlan plan) => new()
    {
        ["warmups"] = plan.Warmups,
        ["repeats"] = plan.Repeats,
        ["iterations"] = plan.IterationsPerRepeat,
        ["min_warmup_seconds"] = plan.MinWarmupSeconds,
    };
}
