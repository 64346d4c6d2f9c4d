namespace LabelNoise.Data;

/// <summary>Examples with class labels in [0, ClassCount); features are float32 (images scaled by the reader).</summary>
/// <example>
/// Three 2×2 one-channel images in two classes, from one's own arrays:
/// <code>
/// var data = new ClassificationDataset("mine", sampleShape: [1, 2, 2],
///     features: [0, 1, 1, 0,   1, 1, 0, 0,   0, 0, 1, 1],   // example i's pixels at [4i, 4i + 4), channel-major
///     labels: [0, 1, 1], classCount: 2);
/// </code>
/// </example>
public sealed class ClassificationDataset : Dataset
{
    /// <param name="name">The name results and messages call the data by.</param>
    /// <param name="sampleShape">One example's shape: [features] for vectors, [channels, height, width] for images (what a conv net sees).</param>
    /// <param name="features">All features, row-major, example after example. Kept, not copied.</param>
    /// <param name="labels">One label per example, in [0, <paramref name="classCount"/>).</param>
    /// <param name="classCount">The number of classes (at least 2): the model's outputs.</param>
    public ClassificationDataset(string name, int[] sampleShape, float[] features, int[] labels, int classCount)
        : base(name, labels.Length, sampleShape)
    {
        if (classCount < 2) throw new SettingException($"a classification task needs at least 2 classes, not {classCount}", nameof(classCount));
        if (features.Length != labels.Length * FeatureCount)
            throw new SettingException($"{features.Length} features do not make {labels.Length} examples of {FeatureCount}", nameof(features));
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] < 0 || labels[i] >= classCount)
                throw new SettingException($"the label {labels[i]} of example {i} is outside [0, {classCount})", nameof(labels));
        Features = features;
        Labels = labels;
        ClassCount = classCount;
    }

    public float[] Features { get; }
    public int[] Labels { get; }
    public int ClassCount { get; }

    public override double Feature(int example, int feature) => Features[example * FeatureCount + feature];

    public override ClassificationDataset Subset(IReadOnlyList<int> indices, string? name = null)
    {
        var features = new float[indices.Count * FeatureCount];
        var labels = new int[indices.Count];
        for (int k = 0; k < indices.Count; k++)
        {
            Array.Copy(Features, (long)indices[k] * FeatureCount, features, (long)k * FeatureCount, FeatureCount);
            labels[k] = Labels[indices[k]];
        }
        return new ClassificationDataset(name ?? Name, SampleShape, features, labels, ClassCount);
    }
}
