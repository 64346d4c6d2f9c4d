namespace LabelNoise.Files;

/// <summary>One row of training metrics: a step and named values (absent values are empty cells).</summary>
public sealed record MetricsRow(long Step, IReadOnlyDictionary<string, double> Values)
{
    public double? this[string name] => Values.TryGetValue(name, out var v) ? v : null;
}
