using LabelNoise.Noise;
using LabelNoise.Training;
using LabelNoise.Randomness;

namespace LabelNoise.Benchmarks;

/// <summary>
/// mlp-step: one step of label-flip SGD as the trainer takes it (sample B indices with replacement,
/// flip each label with probability p, <see cref="TorchLearner.Step"/>): forward, backward and the
/// SGD update of the 784-512-512-10 MLP in float32, at the benchmark's batch (256); mlp-step-b32 at
/// B = 32, the batch the escape experiments run. Also reports the achieved FLOP/s.
/// </summary>
public sealed class MlpStepWorkload(string name = "mlp-step", int? batchSize = null) : IBenchWorkload
{
    public string Name => name;
    public string Description => $"one label-flip SGD step (p = 0.2), MLP 784-512-512-10, float32, batch {(batchSize is int b ? b.ToString(System.Globalization.CultureInfo.InvariantCulture) : "256")}";
    public string PeerFamily => "mlp";

    /// <summary>The batch this workload steps with.</summary>
    public int BatchSize(BenchSettings settings) => batchSize ?? settings.MlpBatchSize;

    public WorkloadMeasurement Run(BenchContext context)
    {
        var settings = context.Settings;
        var data = context.MlpData;
        using var learner = new TorchLearner(MlpFixture.CreateModel(data, settings.Seed), data, settings.FlipProbability);
        var root = new RandomStream(settings.Seed);
        var (sampler, noiseGenerator) = (root.Split(), root.Split());
        var noise = new LabelFlipNoise(settings.FlipProbability);
        double lastLoss = double.NaN;
        var timing = RepeatedTiming.Measure(() =>
        {
            var batch = BatchSampler.WithReplacement(data.Count, BatchSize(settings), sampler);
            lastLoss = learner.Step(batch, noise.Perturb(data, batch, noiseGenerator), settings.MlpLearningRate, 0);
        }, settings.MlpStep);
        if (!double.IsFinite(lastLoss)) throw new InvalidOperationException($"the benchmark's SGD steps diverged (batch loss {lastLoss})");
        double flops = MlpFixture.FlopsPerStep(BatchSize(settings));
        return new WorkloadMeasurement(Name, Description, timing, 0,
            new Dictionary<string, double>
            {
                ["flops_per_step"] = flops,
                ["flops"] = flops,
                ["gflops"] = flops / (timing.MedianMilliseconds * 1e6),
                ["parameters"] = learner.ParameterCount,
                ["batch_size"] = BatchSize(settings),
            },
            new Dictionary<string, string> { ["data"] = data.Name });
    }
}
