using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Noise;
using LabelNoise.Training;
using LabelNoise.Randomness;

namespace LabelNoise.Benchmarks;

/// <summary>
/// Algorithm 1 on HaoChen et al.'s sparse recovery problem, on the hand-written path: the quadratic
/// model f = ⟨u⊙u − v⊙v, x⟩ from u = 1, v = 0 (<see cref="QuadraticModel"/>, <see cref="HandLearner"/>),
/// d features, n noiseless examples of a sparse truth, batches of one drawn with replacement
/// (<see cref="BatchSampler"/>) and ±σ label noise (<see cref="PlusMinusNoise"/>), float64.
/// </summary>
public sealed class QuadraticProblem : IDisposable
{
    readonly RandomStream sampler, noiseGenerator;
    readonly PlusMinusNoise noise;
    readonly double learningRate;

    public QuadraticProblem(BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Features = settings.QuadraticFeatures;
        Support = settings.QuadraticSupport;
        Train = (RegressionDataset)SparseRegressionGenerator.Generate(Features, settings.QuadraticExamples, Support, settings.Seed + 1, testSize: 0).Train;
        Model = new QuadraticModel(Features);
        Learner = new HandLearner(Model, Train);
        var root = new RandomStream(settings.Seed);
        (sampler, noiseGenerator) = (root.Split(), root.Split());
        noise = new PlusMinusNoise(settings.QuadraticNoiseStdDev);
        learningRate = settings.QuadraticLearningRate;
    }

    public int Features { get; }
    public int Support { get; }
    public RegressionDataset Train { get; }
    public QuadraticModel Model { get; }
    public HandLearner Learner { get; }

    readonly int[] batch = new int[1];
    BatchTargets? targets;

    /// <summary>One step of Algorithm 1 with B = 1: sample, perturb, step (as the trainer does it: no allocation); returns the batch loss.</summary>
    public double Step()
    {
        BatchSampler.Fill(batch, Train.Count, sampler);
        targets = noise.Perturb(Train, batch, noiseGenerator, targets);
        return Learner.Step(batch, targets, learningRate, 0);
    }

    /// <summary>‖u⊙u − v⊙v − w*‖²: how far the run is from the sparse truth.</summary>
    public double RecoveryError()
    {
        var w = Model.EffectiveWeights(Learner.GetParameters());
        var truth = SparseRegressionGenerator.GroundTruth(Features, Support);
        double sum = 0;
        for (int j = 0; j < w.Length; j++) sum += (w[j] - truth[j]) * (w[j] - truth[j]);
        return sum;
    }

    /// <summary>The clean training loss (mean of ½(f − y)²).</summary>
    public double TrainLoss() => Learner.Evaluate(Train, withGradient: false).Loss;

    public void Dispose() => Learner.Dispose();
}
