using LabelNoise.Randomness;

namespace LabelNoise.Training;

/// <summary>Algorithm 1's batch: B indices drawn uniformly from [n]^B, i.e. with replacement.</summary>
public static class BatchSampler
{
    public static int[] WithReplacement(int count, int batchSize, RandomStream generator)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "the batch size B must be ≥ 1");
        var batch = new int[batchSize];
        Fill(batch, count, generator);
        return batch;
    }

    /// <summary>Fills <paramref name="batch"/> with indices drawn uniformly with replacement (the same draws as <see cref="WithReplacement"/>).</summary>
    public static void Fill(Span<int> batch, int count, RandomStream generator)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "cannot sample from an empty data set");
        for (int k = 0; k < batch.Length; k++) batch[k] = generator.NextInt(count);
    }

    /// <summary>Every example once, in order: full-batch gradient descent.</summary>
    public static int[] Full(int count) => Enumerable.Range(0, count).ToArray();
}
