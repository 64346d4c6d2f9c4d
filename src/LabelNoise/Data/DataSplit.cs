namespace LabelNoise.Data;

/// <summary>A training set and, where the source has one, a test set of the same kind.</summary>
public sealed record DataSplit(Dataset Train, Dataset? Test);
