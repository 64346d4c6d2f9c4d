using LabelNoise.Objectives;
using LabelNoise.Randomness;

namespace LabelNoise.Benchmarks;

/// <summary>
/// mlp-hvp: one Hessian-vector product ∇²L·v of the MLP's smoothed cross entropy on the examples
/// (<see cref="TorchObjective.Hessian"/>: for this ReLU MLP the written-out R-operator,
/// <see cref="MlpHessianOperator"/>, which keeps the point's activations for every product at that
/// point, as the peer keeps its gradient graph; both are built during warm-up), against one full gradient
/// (<see cref="TorchObjective.Gradient"/>) on the same examples. Both include the conversion to and
/// from the flat float64 vectors the curvature code works with. The project's claim: an HVP costs at
/// most <see cref="ClaimedMaxRatio"/> gradients.
/// </summary>
public sealed class MlpHvpWorkload : IBenchWorkload
{
    public const double ClaimedMaxRatio = 2.5;
    public string Name => "mlp-hvp";
    public string Description => "one Hessian-vector product of the MLP's loss on 1,024 examples (the point's state reused)";
    public string PeerFamily => "mlp";

    public WorkloadMeasurement Run(BenchContext context)
    {
        var settings = context.Settings;
        var data = context.MlpData;
        using var loss = new MlpLoss(context);
        var objective = loss.Objective;
        var hessian = objective.Hessian();
        var generator = new RandomStream(settings.Seed);
        var v = new double[objective.Dimension];
        for (int i = 0; i < v.Length; i++) v[i] = generator.NextGaussian();
        var result = new double[objective.Dimension];
        var hvp = RepeatedTiming.Measure(() => hessian.Apply(v, result), settings.MlpHvp);
        var gradient = RepeatedTiming.Measure(() => objective.Gradient(), settings.MlpGradient);
        double ratio = hvp.MedianMilliseconds / gradient.MedianMilliseconds;
        return new WorkloadMeasurement(Name, Description, hvp, 0,
            new Dictionary<string, double>
            {
                ["gradient_ms"] = gradient.MedianMilliseconds,
                ["gradient_min_ms"] = gradient.MinMilliseconds,
                ["gradient_max_ms"] = gradient.MaxMilliseconds,
                ["hvp_per_gradient"] = ratio,
                ["flops"] = MlpFixture.FlopsPerHvp(data.Count),
                ["parameters"] = objective.Dimension,
                ["examples"] = data.Count,
            },
            new Dictionary<string, string>());
    }

    /// <summary>The project's claim, judged on a measured HVP ÷ gradient time (for the report, from the pooled figure).</summary>
    public static string Claim(double hvpPerGradient) =>
        FormattableString.Invariant($"an HVP costs at most {ClaimedMaxRatio} gradients: {(hvpPerGradient <= ClaimedMaxRatio ? "holds" : "fails")} ({hvpPerGradient:F2})");
}
