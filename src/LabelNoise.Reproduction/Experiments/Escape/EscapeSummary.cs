using System.Globalization;
using LabelNoise.Curvature;
using LabelNoise.Figures;
using LabelNoise.Files;

namespace LabelNoise.Experiments;

/// <summary>Escape's summaries: medians and spreads over seeds, escape-summary.csv and the report's table.</summary>
public static class EscapeSummary
{
    /// <summary>A column's median, minimum and maximum over seeds at one row.</summary>
    public sealed record Spread(double Median, double Min, double Max)
    {
        public static Spread At(CsvTable[] seeds, string column, int index)
        {
            if (seeds.Length == 0) return new(double.NaN, double.NaN, double.NaN);
            var values = seeds.Select(s => s[index >= 0 ? index : s.RowCount + index, column]).ToArray();
            return new(Vectors.Median(values), values.Min(), values.Max());
        }
    }

    /// <summary>The medians (and min–max) over seeds of one group of runs; TraceFirst is at the first measured step after 0.</summary>
    public sealed record GroupSummary(EscapeInit Init, EscapeMethod Method, int Seeds, Spread TestInitial, Spread TestFinal, Spread EmaFinal,
        Spread TraceFirst, Spread TraceFinal, double TraceStandardErrorFinal, Spread RegularizerFinal, double RegularizerStandardErrorFinal, double TrainInitial, double TrainFinal);

    /// <summary>Every group of runs in a curves table (poor inits × methods, then the baseline): the one place these medians are computed.</summary>
    public static IReadOnlyList<GroupSummary> Summaries(CsvTable curves, double momentum = 0) =>
        EscapeInits.Poor.SelectMany(i => EscapeMethods.All.Select(m => (Init: i, Method: m))).Append((Init: EscapeInit.Random, Method: EscapeMethod.Sgd))
            .Select(g => (g.Init, g.Method, Seeds: EscapeCurves.Seeds(curves, g.Init, g.Method, momentum)))
            .Where(g => g.Seeds.Length > 0)
            .Select(g => Summarize(g.Init, g.Method, g.Seeds)).ToArray();

    public static GroupSummary Summarize(EscapeInit init, EscapeMethod method, CsvTable[] seeds)
    {
        // Curvature from the points that measured it (accuracy-only points between them have none); the last point always does.
        var measured = seeds.Select(EscapeCurves.Measured).ToArray();
        if (measured.Any(m => m.RowCount == 0)) measured = seeds; // not measured at all: NaN
        int first = measured.Min(s => s.RowCount) > 1 ? 1 : 0;
        return new GroupSummary(init, method, seeds.Length,
            Spread.At(seeds, "test_acc", 0), Spread.At(seeds, "test_acc", -1), Spread.At(seeds, "ema_test_acc", -1),
            Spread.At(measured, "trace", first), Spread.At(seeds, "trace", -1), Spread.At(seeds, "trace_se", -1).Median,
            Spread.At(seeds, "regularizer", -1), Spread.At(seeds, "regularizer_se", -1).Median,
            Spread.At(seeds, "train_acc", 0).Median, Spread.At(seeds, "train_acc", -1).Median);
    }

    /// <summary>escape-summary.csv from curves.csv: a row per group of <see cref="Summaries"/>, init and method by name.</summary>
    public static void WriteSummary(string folder)
    {
        var text = new System.Text.StringBuilder("init,method,seeds,test_acc_initial,test_acc_final,test_acc_final_min,test_acc_final_max,"
            + "ema_test_acc_final,ema_test_acc_final_min,ema_test_acc_final_max,trace_initial,trace_final,trace_final_min,trace_final_max,trace_se_final,train_acc_final\n");
        foreach (var g in Summaries(CsvTable.Read(Path.Combine(folder, EscapeConfig.CurvesFile))))
        {
            double[] numbers = [g.Seeds, g.TestInitial.Median, g.TestFinal.Median, g.TestFinal.Min, g.TestFinal.Max, g.EmaFinal.Median, g.EmaFinal.Min, g.EmaFinal.Max,
                g.TraceFirst.Median, g.TraceFinal.Median, g.TraceFinal.Min, g.TraceFinal.Max, g.TraceStandardErrorFinal, g.TrainFinal];
            text.Append(g.Init.Name()).Append(',').Append(g.Method.Name()).Append(',')
                .AppendJoin(',', numbers.Select(CsvTable.Format)).Append('\n');
        }
        AtomicFile.WriteAllText(Path.Combine(folder, EscapeConfig.SummaryCsvFile), text.ToString());
    }

    /// <summary>
    /// summary.json's headline numbers, from <see cref="Summaries"/>: <c>&lt;init&gt;.&lt;method&gt;.{test_acc_initial, test_acc_final, ema_test_acc_final,
    /// trace_initial, trace_final}</c> for every group that ran (trace_initial: at the first measured step after 0) and <c>baseline.test_acc_final</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, double> Values(string folder)
    {
        var values = new Dictionary<string, double>();
        foreach (var g in Summaries(CsvTable.Read(Path.Combine(folder, EscapeConfig.CurvesFile))))
        {
            if (g.Init == EscapeInit.Random)
            {
                values["baseline.test_acc_final"] = g.TestFinal.Median;
                continue;
            }
            string prefix = $"{g.Init.Name()}.{g.Method.Name()}.";
            values[prefix + "test_acc_initial"] = g.TestInitial.Median;
            values[prefix + "test_acc_final"] = g.TestFinal.Median;
            values[prefix + "ema_test_acc_final"] = g.EmaFinal.Median;
            values[prefix + "trace_initial"] = g.TraceFirst.Median;
            values[prefix + "trace_final"] = g.TraceFinal.Median;
        }
        return values;
    }

    /// <summary>The escape table: per group, test % initial → final (last iterate and averaged), tr ∇²L ± SE at the end; medians and min–max over seeds.</summary>
    public static IReadOnlyList<ReportTable> Tables(string folder) => [EscapeTable(Summaries(CsvTable.Read(Path.Combine(folder, EscapeConfig.CurvesFile))),
        "Escape runs: medians over seeds [min–max]; test accuracy of the last iterate and of the averaged iterate (EMA of the parameters); tr ∇²L of the smoothed loss ± its standard error (median over seeds) at the end.")];

    public static ReportTable EscapeTable(IEnumerable<GroupSummary> groups, string caption, Func<GroupSummary, int, string>? method = null) => new(caption,
        ["init", "method", "seeds", "test % initial", "test % final", "EMA test % final", "tr ∇²L final ± SE", "R final ± SE"],
        groups.Select((g, i) => new[]
        {
            g.Init.Name(), method?.Invoke(g, i) ?? g.Method.Label(), g.Seeds.ToString(CultureInfo.InvariantCulture), Percent(g.TestInitial), Percent(g.TestFinal), Percent(g.EmaFinal),
            WithError(g.TraceFinal, g.TraceStandardErrorFinal), WithError(g.RegularizerFinal, g.RegularizerStandardErrorFinal),
        }).ToArray());

    static string Percent(Spread s) => double.IsNaN(s.Median) ? "—" : s.Min == s.Max
        ? (100 * s.Median).ToString("F1", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{100 * s.Median:F1} [{100 * s.Min:F1}–{100 * s.Max:F1}]");

    static string WithError(Spread s, double error) => double.IsNaN(s.Median) ? "—" : Uncertain.Format(s.Median, error)
        + (s.Min == s.Max ? "" : FormattableString.Invariant($" [{s.Min:G3}–{s.Max:G3}]"));
}
