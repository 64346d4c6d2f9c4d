using LabelNoise.Curvature;
using LabelNoise.Files;
using LabelNoise.Figures;

namespace LabelNoise.Experiments;

/// <summary>
/// The one table format of measured runs (curves.csv of escape, escape-momentum.csv of momentum) and the
/// medians and min/max bands over seeds that figures, summaries and claims are computed from.
/// </summary>
public static class EscapeCurves
{
    public static readonly string[] Columns =
    [
        "init", "method", "momentum", "learning_rate", "seed", "step", "train_acc", "test_acc", "ema_test_acc", "train_loss",
        "trace", "trace_se", "regularizer", "regularizer_se", "lambda_max", "trace_proxy", "trace_proxy_se",
    ];

    public static CsvTable NewTable() => new(Columns);

    public static void Add(CsvTable table, RunRecipe run, IReadOnlyList<CurvePoint> points)
    {
        foreach (var p in points)
            table.Add((int)run.Init, (int)run.Method, run.Momentum, run.LearningRate, run.Seed, p.Step, p.TrainAccuracy, p.TestAccuracy, p.EmaTestAccuracy, p.TrainLoss,
                p.Trace, p.TraceStandardError, p.Regularizer, p.RegularizerStandardError, p.LargestEigenvalue, p.TraceProxy, p.TraceProxyStandardError);
    }

    /// <summary>The runs of one group (of one η when <paramref name="learningRate"/> is given), one table per seed (rows in step order); empty when the group was not run.</summary>
    public static CsvTable[] Seeds(CsvTable table, EscapeInit init, EscapeMethod method, double momentum = 0, double? learningRate = null)
    {
        var group = table.Where("init", (int)init).Where("method", (int)method).Where("momentum", momentum);
        if (learningRate is double rate) group = group.Where("learning_rate", rate);
        return group.Column("seed").Distinct().Order().Select(s => group.Where("seed", s)).ToArray();
    }

    /// <summary>A column at a run's last measured point.</summary>
    public static double Final(CsvTable run, string column) => run[run.RowCount - 1, column];

    /// <summary>A column at a run's step 0.</summary>
    public static double Initial(CsvTable run, string column) => run[0, column];

    /// <summary>A run's points that measured curvature (step 0 and every curvature point after it; accuracy-only points left out).</summary>
    public static CsvTable Measured(CsvTable run)
    {
        var measured = new CsvTable(run.Columns);
        for (int i = 0; i < run.RowCount; i++)
            if (!double.IsNaN(run[i, "trace"])) measured.Add(run.Columns.Select(c => run[i, c]).ToArray());
        return measured;
    }

    /// <summary>The runs of two groups that share a seed (and so their batches), paired in seed order.</summary>
    public static (CsvTable A, CsvTable B)[] Paired(CsvTable[] a, CsvTable[] b) =>
        a.Join(b, r => r[0, "seed"], r => r[0, "seed"], (x, y) => (x, y)).ToArray();

    /// <summary>
    /// Steps, and the median, minimum and maximum over seeds of a column at each step (seeds must share their steps); steps where some
    /// seed has no value (NaN: curvature at an accuracy-only point) are left out.
    /// </summary>
    public static (double[] Steps, double[] Median, double[] Min, double[] Max) Band(CsvTable[] seeds, string column,
        Func<CsvTable, int, double>? lower = null, Func<CsvTable, int, double>? upper = null)
    {
        if (seeds.Length == 0) return ([], [], [], []);
        int count = seeds.Min(s => s.RowCount);
        var rows = Enumerable.Range(0, count).Where(i => seeds.All(s => !double.IsNaN(s[i, column]))).ToArray();
        var stepColumn = seeds[0].Column("step");
        return (rows.Select(i => stepColumn[i]).ToArray(),
            rows.Select(i => Vectors.Median(seeds.Select(s => s[i, column]))).ToArray(),
            rows.Select(i => seeds.Min(s => lower is null ? s[i, column] : lower(s, i))).ToArray(),
            rows.Select(i => seeds.Max(s => upper is null ? s[i, column] : upper(s, i))).ToArray());
    }

    /// <summary>A figure line: the median over seeds of a column, with a min/max band (of the value ± <paramref name="errorColumn"/> when given).</summary>
    public static Series Line(string label, CsvTable[] seeds, string column, double scale = 1, string? errorColumn = null)
    {
        static double Finite(double x) => double.IsFinite(x) ? x : 0;
        var (steps, median, min, max) = Band(seeds, column,
            errorColumn is null ? null : (s, i) => s[i, column] - Finite(s[i, errorColumn]),
            errorColumn is null ? null : (s, i) => s[i, column] + Finite(s[i, errorColumn]));
        return new Series(label, steps, median.Select(v => scale * v).ToArray(), min.Select(v => scale * v).ToArray(), max.Select(v => scale * v).ToArray());
    }

    /// <summary>The median over seeds of a column at row <paramref name="index"/> (negative: from the end, −1 = last).</summary>
    public static double MedianAt(CsvTable[] seeds, string column, int index) =>
        seeds.Length == 0 ? double.NaN : Vectors.Median(seeds.Select(s => s[index >= 0 ? index : s.RowCount + index, column]));
}
