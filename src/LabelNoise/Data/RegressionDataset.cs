namespace LabelNoise.Data;

/// <summary>Examples with real targets; features and targets are float64.</summary>
public sealed class RegressionDataset : Dataset
{
    public RegressionDataset(string name, int featureCount, double[] features, double[] targets)
        : base(name, targets.Length, [featureCount])
    {
        if (features.Length != targets.Length * featureCount)
            throw new ArgumentException($"{features.Length} features do not make {targets.Length} examples of {featureCount}", nameof(features));
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
        return new RegressionDataset(name ?? Name, FeatureCount, features, targets);
    }
}
