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
        try { return JsonSerializer.Deserialize<ExperimentSummary>(File.ReadAllText(path), Options) ?? throw new DataFormatException(path, "is empty"); }
        catch (JsonException e) { throw new DataFormatException(path, "is not a valid summary (" + DataFormatException.JsonProblem(e) + ")"); }
    }
}
