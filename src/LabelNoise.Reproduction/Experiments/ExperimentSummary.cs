using System.Text.Json;
using System.Text.Json.Serialization;
using LabelNoise.Data;
using LabelNoise.Figures;
using LabelNoise.Files;

namespace LabelNoise.Experiments;

/// <summary>What results/&lt;experiment&gt;/summary.json records of a run; the report is written from these.</summary>
public sealed record ExperimentSummary(
    string Name,
    string Title,
    string Description,
    string Setting,
    string Scale,
    ulong Seed,
    double Seconds,
    IReadOnlyList<Claim> Claims,
    IReadOnlyList<FigureFile> Figures,
    IReadOnlyList<string> DataFiles)
{
    public const string FileName = "summary.json";

    /// <summary>When the experiment finished (UTC; null in summaries written before this was recorded).</summary>
    public DateTimeOffset? Finished { get; init; }

    /// <summary>This machine's float32 matmul GFLOP/s measured right after the experiment (its times scale with it); null: not measured.</summary>
    public double? MatmulGflops { get; init; }

    /// <summary>Tables for the report (<see cref="IExperiment.Tables"/>).</summary>
    public IReadOnlyList<ReportTable> Tables { get; init; } = [];

    /// <summary>The experiment's headline numbers (<see cref="IExperiment.Values"/>), as top-level keys of summary.json; null for NaN.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Values { get; init; }

    /// <summary>JSON elements for <see cref="Values"/>: the numbers, with null for what is not finite; null when there are none.</summary>
    public static Dictionary<string, JsonElement>? ValuesOf(IReadOnlyDictionary<string, double> values) => values.Count == 0 ? null :
        values.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement<double?>(double.IsFinite(p.Value) ? p.Value : null));

    static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public void Write(string folder) => AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Options) + "\n");

    public static ExperimentSummary Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new DataFormatException(path, "not found");
        ExperimentSummary summary;
        try { summary = JsonSerializer.Deserialize<ExperimentSummary>(File.ReadAllText(path), Options) ?? throw new DataFormatException(path, "is empty"); }
        catch (JsonException e) { throw new DataFormatException(path, "is not a valid summary (" + DataFormatException.JsonProblem(e) + ")"); }
        // A summary written before the finish time was recorded: it was written when the experiment finished.
        return summary.Finished is null ? summary with { Finished = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero) } : summary;
    }
}
