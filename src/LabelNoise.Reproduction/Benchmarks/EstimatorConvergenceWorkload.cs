using System.Globalization;
using LabelNoise.Curvature;
using LabelNoise.Randomness;
using LabelNoise.Figures;
using LabelNoise.Files;

namespace LabelNoise.Benchmarks;

/// <summary>
/// estimator-convergence: the figure of relative error against Hessian-vector products for each operator-only
/// trace estimator (hutchinson, hutch++, xtrace, deflated-slq) on the trained MLP (<see cref="TrainedMlp"/>),
/// each run once per budget in <see cref="BenchSettings.ConvergenceBudgets"/> (fixed seed per estimator), against
/// the exact tr ∇²L (= tr G for this ReLU MLP). Writes estimator-convergence.csv (columns: estimator id —
/// the order above —, budget, products, estimate, standard error, relative error, relative standard error,
/// reference) and the figure from it (PNG and SVG) into <see cref="BenchSettings.FiguresFolder"/>. No peer.
/// </summary>
public sealed class EstimatorConvergenceWorkload : IBenchWorkload
{
    public const string FileName = "estimator-convergence";
    public static readonly CurvatureEstimator[] Estimators = [CurvatureEstimator.Hutchinson, CurvatureEstimator.HutchPlusPlus, CurvatureEstimator.XTrace, CurvatureEstimator.DeflatedSlq];

    public string Name => "estimator-convergence";
    public string Description => "relative error of tr ∇²L against products for each estimator on the trained MLP (figure; no peer)";
    public string PeerFamily => BenchSuite.NoPeer;

    public WorkloadMeasurement Run(BenchContext context)
    {
        var s = context.Settings;
        using var point = new TrainedMlp(context);
        var reference = point.Objective.ExactHessianTrace() ?? throw new InvalidOperationException("the benchmark's MLP has no exact trace");
        var hessian = point.Objective.Hessian();
        var table = new CsvTable("estimator", "budget", "products", "estimate", "standard_error", "relative_error", "relative_standard_error", "reference");
        var timing = RepeatedTiming.Measure(() =>
        {
            for (int k = 0; k < Estimators.Length; k++)
                foreach (int budget in s.ConvergenceBudgets)
                {
                    var estimate = CurvatureEstimation.Trace(hessian, Estimators[k], EstimationBudget.Products(budget), new RandomStream(s.Seed + 10 + (ulong)k));
                    table.Add(k, budget, estimate.Products, estimate.Estimate, estimate.StandardError,
                        Math.Abs(estimate.Estimate - reference.Value) / Math.Abs(reference.Value), estimate.RelativeStandardError, reference.Value);
                }
        }, new TimingPlan(0, 1));
        string csv = Path.Combine(s.FiguresFolder, FileName + ".csv");
        Directory.CreateDirectory(s.FiguresFolder);
        table.Write(csv);
        Draw(s.FiguresFolder, csv);
        var figures = new Dictionary<string, double> { ["reference_trace"] = reference.Value, ["examples"] = point.Evaluation.Count };
        var written = CsvTable.Read(csv);
        for (int k = 0; k < Estimators.Length; k++)
        {
            var rows = written.Where("estimator", k);
            figures[$"{Estimators[k].Name()}_relative_error_at_{s.ConvergenceBudgets[^1]}"] = rows.Column("relative_error")[^1];
        }
        return new WorkloadMeasurement(Name, Description, timing, 0, figures, new Dictionary<string, string>
        {
            ["csv"] = Path.GetFullPath(csv),
            ["figure"] = Path.GetFullPath(Path.Combine(s.FiguresFolder, FileName + ".png")),
            ["estimators"] = string.Join(", ", Estimators.Select((e, k) => $"{k} = {e.Name()}")),
            ["reference"] = $"exact tr ∇²L = tr G ({reference.Value.ToString("G6", CultureInfo.InvariantCulture)}), computed from the per-example output-gradient Gram matrices",
            ["point"] = TrainedMlp.Describe(s),
        });
    }

    /// <summary>The figure from the written CSV: relative error (markers, solid) and relative standard error (dashed) per estimator.</summary>
    public static FigureFile Draw(string folder, string csv)
    {
        var table = CsvTable.Read(csv);
        var series = new List<Series>();
        for (int k = 0; k < Estimators.Length; k++)
        {
            var rows = table.Where("estimator", k);
            if (rows.RowCount == 0) continue;
            var products = rows.Column("products");
            series.Add(new Series($"{Estimators[k].Name()}: |error|", products, rows.Column("relative_error").Select(e => Math.Max(e, 1e-6)).ToArray()));
            series.Add(new Series($"{Estimators[k].Name()}: SE", products, rows.Column("relative_standard_error"), Dashed: true));
        }
        return FigureWriter.Line(folder, FileName, "tr ∇²L of the trained MLP: error against Hessian-vector products", "products", "relative error",
            series, "Relative error |estimate − tr ∇²L|/tr ∇²L (solid) and relative standard error (dashed) per estimator and budget; the exact value costs no products",
            logX: true, logY: true);
    }
}
