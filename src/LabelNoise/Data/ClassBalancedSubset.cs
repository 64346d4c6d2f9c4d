using LabelNoise.Randomness;

namespace LabelNoise.Data;

/// <summary>
/// Chooses a class-balanced subset: size / classCount examples of every class, the remainder one
/// more each for classes 0, 1, …; within a class the examples are a uniformly random choice.
/// </summary>
public static class ClassBalancedSubset
{
    /// <summary>
    /// Indices into <paramref name="labels"/> of the subset, ascending (the original order of appearance).
    /// Classes are visited 0, 1, … and each draws from <paramref name="generator"/> in turn.
    /// </summary>
    public static int[] Select(IReadOnlyList<int> labels, int classCount, int size, RandomStream generator)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(generator);
        if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "there must be at least 1 class");
        if (size < 0) throw new ArgumentOutOfRangeException(nameof(size), size, "the subset size must not be negative");
        if (size > labels.Count)
            throw new SettingException($"a subset of {size} examples was asked for but only {labels.Count} are available", nameof(size));

        var byClass = new List<int>[classCount];
        for (int c = 0; c < classCount; c++) byClass[c] = [];
        for (int i = 0; i < labels.Count; i++)
        {
            int label = labels[i];
            if (label < 0 || label >= classCount)
                throw new ArgumentException($"label {label} of example {i} is outside [0, {classCount})", nameof(labels));
            byClass[label].Add(i);
        }

        var chosen = new List<int>(size);
        for (int c = 0; c < classCount; c++)
        {
            int quota = size / classCount + (c < size % classCount ? 1 : 0);
            var members = byClass[c];
            if (quota > members.Count)
                throw new SettingException(
                    $"a class-balanced subset of {size} examples needs {quota} of class {c}, but the data has {(members.Count == 0 ? "none" : members.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))}; ask for fewer examples", nameof(size));
            // Partial Fisher–Yates: the first `quota` places become a uniform random choice.
            for (int k = 0; k < quota; k++)
            {
                int j = k + generator.NextInt(members.Count - k);
                (members[k], members[j]) = (members[j], members[k]);
                chosen.Add(members[k]);
            }
        }
        chosen.Sort();
        return [.. chosen];
    }

    /// <summary>The balanced subset of <paramref name="dataset"/>'s examples, as indices.</summary>
    public static int[] Select(ClassificationDataset dataset, int size, RandomStream generator)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Select(dataset.Labels, dataset.ClassCount, size, generator);
    }
}
