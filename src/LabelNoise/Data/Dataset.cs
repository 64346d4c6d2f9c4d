namespace LabelNoise.Data;

/// <summary>
/// A finite set of examples held in memory: features row-major, one row of
/// <see cref="FeatureCount"/> numbers per example, shaped <see cref="SampleShape"/>.
/// </summary>
public abstract class Dataset
{
    protected Dataset(string name, int count, int[] sampleShape)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (sampleShape.Length == 0 || sampleShape.Any(s => s <= 0))
            throw new ArgumentException($"sample shape [{string.Join(",", sampleShape)}] must have positive sizes", nameof(sampleShape));
        Name = name;
        Count = count;
        SampleShape = sampleShape;
        FeatureCount = sampleShape.Aggregate(1, (a, b) => a * b);
    }

    /// <summary>Where the data came from, e.g. "fashion-mnist/train".</summary>
    public string Name { get; }
    public int Count { get; }
    public int[] SampleShape { get; }
    public int FeatureCount { get; }

    /// <summary>Feature <paramref name="feature"/> of example <paramref name="example"/>, as a double.</summary>
    public abstract double Feature(int example, int feature);

    /// <summary>The examples at <paramref name="indices"/>, in that order (repeats allowed).</summary>
    public abstract Dataset Subset(IReadOnlyList<int> indices, string? name = null);
}
