using System.Text.Json;
using LabelNoise.Data;
using LabelNoise.Reporting;

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
    static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public void Write(string folder) => AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Options) + "\n");

    public static ExperimentSummary Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new DataFormatException(path, "not found");
        try { return JsonSerializer.Deserialize<ExperimentSummary>(File.ReadAllText(path), Options) ?? throw new DataFormatException(path, "is empty"); }
        catch (JsonException e) { throw new DataFormatException(path, "is not a valid summary (" + e.Message.Split('.')[0] + ")"); }
    }
}
