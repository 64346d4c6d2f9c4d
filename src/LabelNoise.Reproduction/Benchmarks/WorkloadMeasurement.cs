namespace LabelNoise.Benchmarks;

/// <summary>
/// Our side of one workload: its timing (ms per iteration), the process's peak resident memory
/// while it ran, and workload-specific figures (numbers) and notes (text) for the report.
/// </summary>
public sealed record WorkloadMeasurement(
    string Name,
    string Description,
    TimingSummary Timing,
    double PeakMegabytes,
    IReadOnlyDictionary<string, double> Figures,
    IReadOnlyDictionary<string, string> Notes)
{
    /// <summary>A figure by key, or null when the workload did not report it.</summary>
    public double? Figure(string key) => Figures.TryGetValue(key, out double value) ? value : null;
}
