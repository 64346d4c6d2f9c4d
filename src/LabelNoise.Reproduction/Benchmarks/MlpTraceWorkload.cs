using LabelNoise.Curvature;
using LabelNoise.Randomness;

namespace LabelNoise.Benchmarks;

/// <summary>
/// mlp-trace: a Hutchinson estimate of tr ∇²L with <see cref="BenchSettings.TraceProbes"/> Rademacher
/// probes (<see cref="HutchinsonTrace.Estimate(ILinearOperator, RandomStream, int)"/>) on the MLP's
/// examples, through the same Hessian operator as mlp-hvp (its gradient graph is built in warm-up).
/// </summary>
public sealed class MlpTraceWorkload : IBenchWorkload
{
    public string Name => "mlp-trace";
    public string Description => "a Hutchinson trace of the MLP's Hessian with 100 probes on 1,024 examples";
    public string PeerFamily => "mlp";

    public WorkloadMeasurement Run(BenchContext context)
    {
        var settings = context.Settings;
        using var loss = new MlpLoss(context);
        var objective = loss.Objective;
        var hessian = objective.Hessian();
        var generator = new RandomStream(settings.Seed);
        HutchinsonEstimate? last = null;
        var timing = RepeatedTiming.Measure(() => last = HutchinsonTrace.Estimate(hessian, generator, settings.TraceProbes), settings.MlpTrace);
        return new WorkloadMeasurement(Name, Description, timing, 0,
            new Dictionary<string, double>
            {
                ["probes"] = settings.TraceProbes,
                ["ms_per_probe"] = timing.MedianMilliseconds / settings.TraceProbes,
                ["trace"] = last!.Estimate,
                ["trace_stderr"] = last.StandardError,
            },
            new Dictionary<string, string>());
    }
}
