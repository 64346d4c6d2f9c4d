using System.Text.Json.Nodes;
using LabelNoise.Measurement;
using Spectre.Console;

namespace LabelNoise.Cli.Display;

/// <summary><c>measure</c>'s output for a person: a table of every number of <see cref="PointMeasurement.ToJson"/>, with plain lines if the table cannot be drawn.</summary>
public static class MeasurementTable
{
    public static void Print(PointMeasurement m) => Print(m, AnsiConsole.Console, Console.Out);

    /// <summary>The table on <paramref name="console"/>; should drawing it fail, the same numbers as plain lines on <paramref name="fallback"/>.</summary>
    public static void Print(PointMeasurement m, IAnsiConsole console, TextWriter fallback)
    {
        ArgumentNullException.ThrowIfNull(m);
        var rows = Rows(m);
        try
        {
            var table = new Table().AddColumn("quantity").AddColumn(new TableColumn("value").RightAligned()).AddColumn(new TableColumn("± standard error").RightAligned());
            table.Title = new TableTitle(Markup.Escape(Title(m)));
            foreach (var (key, value, error) in rows) table.AddRow(Markup.Escape(key), Markup.Escape(value), Markup.Escape(error));
            console.Write(table);
            foreach (var line in Notes(m)) console.MarkupLine(Markup.Escape(line));
            foreach (var warning in m.Warnings) console.MarkupLine("[yellow]warning:[/] " + Markup.Escape(warning));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            fallback.WriteLine($"(the table could not be drawn: {e.Message}; the numbers follow)");
            fallback.WriteLine(Title(m));
            foreach (var (key, value, error) in rows) fallback.WriteLine(error.Length > 0 ? $"{key}: {value} ± {error}" : $"{key}: {value}");
            foreach (var line in Notes(m)) fallback.WriteLine(line);
            foreach (var warning in m.Warnings) fallback.WriteLine("warning: " + warning);
        }
    }

    static string Title(PointMeasurement m) =>
        $"{(m.Exact ? "exact (dense Hessian)" : "estimated")} at {m.Data ?? "the data"}: {m.ParameterCount:N0} parameters, {m.ExampleCount:N0} examples";

    /// <summary>Every scalar of the JSON but the standard errors, each with its standard error (empty when exact).</summary>
    static IReadOnlyList<(string Key, string Value, string Error)> Rows(PointMeasurement m)
    {
        var json = m.ToJson();
        return json.Where(p => !p.Key.EndsWith("_stderr", StringComparison.Ordinal) && p.Value is not (JsonArray or JsonObject))
            .Select(p => (p.Key, p.Value?.ToString() ?? "", json[p.Key + "_stderr"]?.ToString() ?? "")).ToArray();
    }

    static IEnumerable<string> Notes(PointMeasurement m)
    {
        foreach (var (block, trace) in m.BlockTraces) yield return $"  trace of {block}: {trace}";
        if (m.DensityFile is not null) yield return $"spectral density written to {m.DensityFile}";
    }
}
