namespace LabelNoise.Data;

/// <summary>Examples with real targets; features and targets are float64.</summary>
/// <example>
/// Four examples of two features each, from one's own arrays:
/// <code>
/// var data = new RegressionDataset("mine", featureCount: 2,
///     features: [0, 1,   1, 0,   1, 1,   2, 0],   // row-major: example i's features at [2i, 2i + 2)
///     targets: [1, -1, 0.5, 2]);
/// </code>
/// </example>
public sealed class RegressionDataset : Dataset
{
    /// <param name="name">The name results and messages call the data by.</param>
    /// <param name="featureCount">Features per example.</param>
    /// <param name="features">All features, row-major: example i's in [i·featureCount, (i + 1)·featureCount). Kept, not copied.</param>
    /// <param name="targets">One real target per example.</param>
    /// <param name="sampleShape">One example's shape, e.g. [channels, height, width] for a conv net (null: [featureCount]); its product must be featureCount.</param>
    public RegressionDataset(string name, int featureCount, double[] features, double[] targets, int[]? sampleShape = null)
        : base(name, targets.Length, sampleShape ?? [featureCount])
    {
        if (sampleShape is not null && sampleShape.Aggregate(1L, (a, b) => a * b) != featureCount)
            throw new SettingException($"the sample shape [{string.Join(", ", sampleShape)}] does not hold {featureCount} features", nameof(sampleShape));
        if (features.Length != targets.Length * featureCount)
            throw new SettingException($"{features.Length} features do not make {targets.Length} examples of {featureCount}", nameof(features));
        Features = features;
        Targets = targets;
    }

    public double[] Features { get; }
    public double[] Targets { get; }

    public override double Feature(int example, int feature) => Features[example * FeatureCount + feature];

    /// <summary>Row <paramref name="example"/> of the features.</summary>
    public ReadOnlySpan<double> Row(int example) => Features.AsSpan(example * FeatureCount, FeatureCount);

    public override RegressionDataset Subset(IReadOnlyList<int> indices, string? name = null)
    {
        var features = new double[indices.Count * FeatureCount];
        var targets = new double[indices.Count];
        for (int k = 0; k < indices.Count; k++)
        {
            Array.Copy(Features, indices[k] * FeatureCount, features, k * FeatureCount, FeatureCount);
            targets[k] = Targets[indices[k]];
        }
        return new RegressionDataset(name ?? Name, FeatureCount, features, targets, SampleShape);
    }
}
