using LabelNoise.Data;
using LabelNoise.Randomness;

namespace LabelNoise.Experiments;

/// <summary>Liu et al.'s memorization set: copies of a training set with pixels zeroed and uniformly random labels.</summary>
public static class AdversarialData
{
    /// <summary>
    /// <paramref name="copies"/> copies of <paramref name="train"/>, copy by copy and example by example; each
    /// feature is set to 0 with probability <paramref name="zeroFraction"/> and each copy of an example gets a
    /// label drawn uniformly from all classes (its true class included).
    /// </summary>
    public static ClassificationDataset Build(ClassificationDataset train, int copies, double zeroFraction, RandomStream generator)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(generator);
        if (copies < 1) throw new ArgumentOutOfRangeException(nameof(copies), copies, "at least one copy is needed");
        if (!(zeroFraction >= 0 && zeroFraction < 1)) throw new ArgumentOutOfRangeException(nameof(zeroFraction), zeroFraction, "the zeroed fraction must lie in [0, 1)");
        int n = train.Count, width = train.FeatureCount;
        long total = (long)copies * n * width;
        if (total > Array.MaxLength) throw new ArgumentException($"{copies} copies of {n} examples of {width} features do not fit in one array", nameof(copies));
        var features = new float[total];
        var labels = new int[copies * n];
        for (int c = 0; c < copies; c++)
            for (int i = 0; i < n; i++)
            {
                long target = ((long)c * n + i) * width, source = (long)i * width;
                for (int j = 0; j < width; j++)
                    features[target + j] = generator.NextDouble() < zeroFraction ? 0f : train.Features[source + j];
                labels[c * n + i] = generator.NextInt(train.ClassCount);
            }
        return new ClassificationDataset($"{train.Name} adversarial ×{copies}", train.SampleShape, features, labels, train.ClassCount);
    }
}
