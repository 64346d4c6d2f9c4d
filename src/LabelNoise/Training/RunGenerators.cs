using LabelNoise.Randomness;

namespace LabelNoise.Training;

/// <summary>
/// The three independent random streams of a run, split from its seed: model initialization,
/// batch sampling and label noise. Keeping sampling and noise apart makes a run with σ = 0 draw
/// exactly the batches of plain SGD with the same seed.
/// </summary>
public sealed record RunGenerators(RandomStream Model, RandomStream Sampler, RandomStream Noise)
{
    public static RunGenerators FromSeed(ulong seed)
    {
        var root = new RandomStream(seed);
        return new RunGenerators(root.Split(), root.Split(), root.Split());
    }
}
