namespace LabelNoise.Training;

/// <summary>One point of a sweep: its index in the grid and the option values that define it.</summary>
public sealed record SweepPoint(int Index, IReadOnlyList<(string Option, string Value)> Values)
{
    /// <summary>The run folder's name, e.g. "run-007".</summary>
    public string FolderName => $"run-{Index:D3}";

    public string Describe() => string.Join(" ", Values.Select(v => $"--{v.Option} {v.Value}"));
}

/// <summary>
/// A grid over training options: the Cartesian product of each option's values, in a fixed order
/// (the last option varies fastest), so that point i is the same on every machine of a job array.
/// Values are split on ',' except for options whose values contain commas themselves (model, data,
/// lr-decay), which are split on ';'.
/// </summary>
public sealed class SweepGrid
{
    static readonly HashSet<string> SemicolonSeparated = ["model", "data", "lr-decay"];

    public SweepGrid(IReadOnlyList<(string Option, string Text)> options)
    {
        Axes = options.Select(o => (o.Option, Split(o.Option, o.Text))).ToArray();
        foreach (var (option, values) in Axes)
            if (values.Length == 0) throw new SettingException($"--{option} has no values");
        Count = Axes.Aggregate(1, (product, axis) => checked(product * axis.Values.Length));
    }

    public IReadOnlyList<(string Option, string[] Values)> Axes { get; }
    public int Count { get; }

    /// <summary>The options that take more than one value: the ones the sweep varies.</summary>
    public IEnumerable<string> Varied => Axes.Where(a => a.Values.Length > 1).Select(a => a.Option);

    public SweepPoint this[int index]
    {
        get
        {
            if (index < 0 || index >= Count) throw new SettingException($"the grid has {Count} points (0 to {Count - 1})", nameof(index));
            var values = new (string, string)[Axes.Count];
            int rest = index;
            for (int a = Axes.Count - 1; a >= 0; a--)
            {
                var (option, choices) = Axes[a];
                values[a] = (option, choices[rest % choices.Length]);
                rest /= choices.Length;
            }
            return new SweepPoint(index, values);
        }
    }

    public IEnumerable<SweepPoint> Points => Enumerable.Range(0, Count).Select(i => this[i]);

    static string[] Split(string option, string text) =>
        text.Split(SemicolonSeparated.Contains(option) ? ';' : ',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
