using System.Globalization;
using System.Text;
using System.Text.Json;
using TorchSharp;
using LabelNoise.Files;

namespace LabelNoise.Files;

/// <summary>
/// The one place training metrics are written: DIR/metrics.csv (fixed columns, header first),
/// DIR/metrics.jsonl (one object per row) and TensorBoard event files under DIR/tensorboard/.
/// Opened for a resumed run, it keeps only rows before the step the run resumes from.
/// </summary>
public sealed class MetricsSink : IDisposable
{
    public const string CsvFile = "metrics.csv";
    public const string JsonFile = "metrics.jsonl";
    readonly string[] columns;
    readonly AppendOnlyLog csv, json;
    readonly TorchSharp.Modules.SummaryWriter tensorBoard;

    public MetricsSink(string folder, IReadOnlyList<string> columns, long? resumeFromStep = null)
    {
        this.columns = columns.ToArray();
        Directory.CreateDirectory(folder);
        Func<string, bool>? keepCsv = resumeFromStep is long s ? line => StepOfCsv(line) < s : null;
        Func<string, bool>? keepJson = resumeFromStep is long t ? line => StepOfJson(line) < t : null;
        csv = new AppendOnlyLog(Path.Combine(folder, CsvFile), "step," + string.Join(",", columns), keepCsv);
        json = new AppendOnlyLog(Path.Combine(folder, JsonFile), null, keepJson);
        tensorBoard = torch.utils.tensorboard.SummaryWriter(Path.Combine(folder, "tensorboard"), "", false);
    }

    public void Write(MetricsRow row)
    {
        foreach (var name in row.Values.Keys)
            if (!columns.Contains(name)) throw new ArgumentException($"metric '{name}' is not one of this run's columns", nameof(row));
        var line = new StringBuilder(row.Step.ToString(CultureInfo.InvariantCulture));
        foreach (var c in columns)
            line.Append(',').Append(row[c] is double v ? v.ToString("R", CultureInfo.InvariantCulture) : "");
        csv.Append(line.ToString());

        var values = new Dictionary<string, object?> { ["step"] = row.Step };
        foreach (var c in columns) values[c] = row[c] is double v && double.IsFinite(v) ? v : row[c] is double w ? w.ToString(CultureInfo.InvariantCulture) : null;
        json.Append(JsonSerializer.Serialize(values));

        foreach (var (name, value) in row.Values)
            if (double.IsFinite(value) && row.Step <= int.MaxValue) tensorBoard.add_scalar(name, (float)value, (int)row.Step);
    }

    /// <summary>Reads a metrics.csv back: its columns and rows (empty cells absent).</summary>
    public static (string[] Columns, List<MetricsRow> Rows) ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var rows = new List<MetricsRow>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            var values = new Dictionary<string, double>();
            for (int c = 1; c < header.Length && c < cells.Length; c++)
                if (cells[c].Length > 0) values[header[c]] = double.Parse(cells[c], CultureInfo.InvariantCulture);
            rows.Add(new MetricsRow(long.Parse(cells[0], CultureInfo.InvariantCulture), values));
        }
        return (header[1..], rows);
    }

    static long StepOfCsv(string line) =>
        long.TryParse(line.Split(',')[0], NumberStyles.None, CultureInfo.InvariantCulture, out long step) ? step : long.MaxValue;

    static long StepOfJson(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.GetProperty("step").GetInt64();
        }
        catch (JsonException) { return long.MaxValue; }
    }

    public void Dispose()
    {
        csv.Dispose();
        json.Dispose();
    }
}
