using System.Globalization;
using LabelNoise.Curvature;
using LabelNoise.Measurement;
using LabelNoise.Randomness;

namespace LabelNoise.Benchmarks;

/// <summary>
/// trace-rse: tr ∇²L of the trained MLP (<see cref="TrainedMlp"/>) to <see cref="BenchSettings.RseTarget"/>
/// relative standard error by the best estimator (<see cref="CurvatureMeasurer"/>, auto: for this ReLU MLP the
/// exact tr G = tr ∇²L, no Hessian-vector products), against the PyTorch peer doing what PyHessian does
/// (Rademacher Hutchinson, probes until the same target, or stopped at a product or time cap and extrapolated
/// with SE² ∝ 1/products). Also writes the trained point for the peer (<see cref="TrainedMlp.WriteForPeer"/>).
/// </summary>
public sealed class TraceRseWorkload : IBenchWorkload
{
    public string Name => "trace-rse";
    public string Description => "tr ∇²L of the trained MLP on 2,000 examples to 1 % relative standard error (ours: best estimator; peer: Hutchinson as PyHessian)";
    public string PeerFamily => "mlp";

    public WorkloadMeasurement Run(BenchContext context)
    {
        var s = context.Settings;
        using var point = new TrainedMlp(context);
        var request = new CurvatureRequest { TargetRelativeStandardError = s.RseTarget, Probes = s.RseMaxProducts };
        CurvatureResult? last = null;
        var timing = RepeatedTiming.Measure(() => last = CurvatureMeasurer.Measure(point.Objective, request, new RandomStream(s.Seed + 3)), s.TraceRse);
        return RseMeasurement.Of(Name, Description, point, timing, last!.Trace!, s,
            new Dictionary<string, double> { ["flops"] = MlpFixture.FlopsPerExactTrace(point.Evaluation.Count) });
    }
}

/// <summary>What trace-rse and regularizer-rse report of our side, and the trained point they hand to the peer.</summary>
static class RseMeasurement
{
    public static WorkloadMeasurement Of(string name, string description, TrainedMlp point, TimingSummary timing, CurvatureEstimate estimate,
        BenchSettings s, Dictionary<string, double> more)
    {
        string folder = Path.Combine(Path.GetTempPath(), "labelnoise-bench", "peer-point");
        var blocks = point.WriteForPeer(folder);
        var figures = new Dictionary<string, double>(more)
        {
            ["products"] = estimate.Products,
            ["seconds"] = timing.MedianMilliseconds / 1000,
            ["estimate"] = estimate.Estimate,
            ["standard_error"] = estimate.StandardError,
            ["relative_standard_error"] = estimate.RelativeStandardError,
            ["target_relative_standard_error"] = s.RseTarget,
            ["examples"] = point.Evaluation.Count,
            ["parameters"] = point.Objective.Dimension,
            ["loss"] = point.Objective.Loss(),
        };
        var notes = new Dictionary<string, string>
        {
            ["estimator"] = estimate.Estimator,
            ["stop_reason"] = estimate.StopReason,
            ["point"] = TrainedMlp.Describe(s) + (point.FromCache ? " (parameters read from the cache in the temporary folder)" : ""),
            ["peer_data"] = folder,
            ["parameter_blocks"] = string.Join(";", blocks.Select(b => b.Name + ":" + string.Join("x", b.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))))),
        };
        return new WorkloadMeasurement(name, description, timing, 0, figures, notes);
    }
}
