namespace LabelNoise.Data;

/// <summary>Examples with class labels in [0, ClassCount); features are float32 (images scaled by the reader).</summary>
public sealed class ClassificationDataset : Dataset
{
    public ClassificationDataset(string name, int[] sampleShape, float[] features, int[] labels, int classCount)
        : base(name, labels.Length, sampleShape)
    {
        if (classCount < 2) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "a classification task needs at least 2 classes");
        if (features.Length != labels.Length * FeatureCount)
            throw new ArgumentException($"{features.Length} features do not make {labels.Length} examples of {FeatureCount}", nameof(features));
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] < 0 || labels[i] >= classCount)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"label of example {i} is outside [0, {classCount})");
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
