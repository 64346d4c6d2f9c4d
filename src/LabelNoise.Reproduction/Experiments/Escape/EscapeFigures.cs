using LabelNoise.Curvature;
using LabelNoise.Figures;
using LabelNoise.Files;

namespace LabelNoise.Experiments;

/// <summary>Escape's figures, drawn from curves.csv and inits.csv.</summary>
public static class EscapeFigures
{
    public static IReadOnlyList<FigureFile> Plot(string folder)
    {
        var curves = CsvTable.Read(Path.Combine(folder, EscapeConfig.CurvesFile));
        var baseline = EscapeCurves.Seeds(curves, EscapeInit.Random, EscapeMethod.Sgd);
        var search = CsvTable.Read(Path.Combine(folder, FullBatchSearch.FileName));
        var figures = new List<FigureFile>();
        foreach (var init in EscapeInits.Poor)
        {
            var groups = EscapeMethods.All.Select(m => (Method: m, Seeds: EscapeCurves.Seeds(curves, init, m))).Where(g => g.Seeds.Length > 0).ToArray();
            if (groups.Length == 0) continue;
            // The curvature figures show the groups whose curvature was measured (none from the full-batch init).
            var measured = groups.Where(g => g.Seeds.All(s => EscapeCurves.Measured(s).RowCount > 1)).ToArray();
            string name = init.Name(), seedsText = $"median of {groups.Max(g => g.Seeds.Length)} seeds, min/max band";
            double lastStep = groups[0].Seeds[0].Column("step")[^1];
            Series? BaselineLevel(string column, double scale)
            {
                // The full-batch init's reference is minibatch SGD in its own setting (the search's row), not the escape setting's baseline.
                if (init == EscapeInit.FullBatch)
                {
                    int qualifying = FullBatchSearch.Qualifying(search);
                    if (column != "test_acc" || qualifying < 0) return null;
                    double reference = scale * search[qualifying, "sgd_test_acc"];
                    return new Series("minibatch SGD in that setting (random init), final", [0, lastStep], [reference, reference], Dashed: true);
                }
                if (baseline.Length == 0) return null;
                double level = scale * EscapeCurves.MedianAt(baseline, column, -1);
                return new Series("SGD baseline (random init), final", [0, lastStep], [level, level], Dashed: true);
            }
            List<Series> WithBaseline(IEnumerable<Series> series, string column, double scale)
            {
                var list = series.ToList();
                if (BaselineLevel(column, scale) is { } b) list.Add(b);
                return list;
            }
            var noise = groups.FirstOrDefault(g => g.Method == EscapeMethod.LabelNoise);
            var averaged = noise.Seeds is { Length: > 0 } && noise.Seeds[0].Column("ema_test_acc").All(double.IsFinite)
                ? new[] { EscapeCurves.Line("label-noise SGD, averaged iterate (EMA)", noise.Seeds, "ema_test_acc", 100) with { Dashed = true } }
                : [];

            figures.Add(FigureWriter.Line(folder, $"{name}-train-accuracy", $"Training accuracy from the {name} initialization", "step", "training accuracy (%)",
                WithBaseline(groups.Select(g => EscapeCurves.Line(g.Method.Label(), g.Seeds, "train_acc", 100)), "train_acc", 100),
                $"Fig. 3, left: training accuracy (clean labels) from the {name} initialization; {seedsText}{(init == EscapeInit.FullBatch ? "" : "; dashed: final SGD baseline from random initializations")}."));
            figures.Add(FigureWriter.Line(folder, $"{name}-test-accuracy", $"Test accuracy from the {name} initialization", "step", "test accuracy (%)",
                WithBaseline(groups.Select(g => EscapeCurves.Line(g.Method.Label(), g.Seeds, "test_acc", 100)).Concat(averaged), "test_acc", 100),
                $"Test accuracy from the {name} initialization (last iterates); {seedsText}; dashed: the averaged iterate of label noise, and the final accuracy of minibatch SGD from random initializations {(init == EscapeInit.FullBatch ? "in the full-batch setting (the search's reference)" : "(the baseline)")}."));
            if (measured.Length == 0) continue;
            figures.Add(FigureWriter.Line(folder, $"{name}-trace", $"tr ∇²L from the {name} initialization", "step", "tr ∇²L",
                measured.Select(g => EscapeCurves.Line(g.Method.Label(), g.Seeds, "trace", 1, "trace_se")).ToList(),
                $"Fig. 3, middle: tr ∇²L of the smoothed loss from the {name} initialization; median of seeds; band: min/max over seeds of the estimate ± one standard error."));
            // Step 0 is left out: a saturated-softmax point (or, for the baseline, an untrained network), not a minimizer of L.
            Series Trajectory(string label, CsvTable[] runs, bool dashed = false)
            {
                var seeds = runs.Select(EscapeCurves.Measured).ToArray();
                var (_, trace, _, _) = EscapeCurves.Band(seeds, "trace");
                var (_, test, _, _) = EscapeCurves.Band(seeds, "test_acc");
                return new Series(label, trace.Skip(1).ToArray(), test.Skip(1).Select(v => 100 * v).ToArray(), Dashed: dashed, MarkEnds: true);
            }
            var scatter = measured.Select(g => Trajectory(g.Method.Label(), g.Seeds)).ToList();
            if (baseline.Length > 0 && EscapeCurves.Measured(baseline[0]).RowCount > 1) scatter.Add(Trajectory("SGD baseline (random init)", baseline, dashed: true));
            figures.Add(FigureWriter.Line(folder, $"{name}-test-vs-trace", $"Test accuracy against tr ∇²L ({name} initialization)", "tr ∇²L", "test accuracy (%)", scatter,
                $"Fig. 3, right: test accuracy against tr ∇²L along the runs from the {name} initialization (medians over seeds at each measured step after step 0, in time order: ○ the first, ● the last)."));
            figures.Add(FigureWriter.Line(folder, $"{name}-regularizer", $"R(θ) from the {name} initialization", "step", "R(θ)",
                measured.Select(g => EscapeCurves.Line(g.Method.Label(), g.Seeds, "regularizer", 1, "regularizer_se")).ToList(),
                $"The implicit regularizer R(θ) = −tr log(1 − η∇²L/2)/(2η) itself, by stochastic Lanczos quadrature, from the {name} initialization; {seedsText} (± one standard error)."));
            figures.Add(FigureWriter.Line(folder, $"{name}-trace-proxy", $"tr_G proxy from the {name} initialization", "step", "tr_G",
                measured.Select(g => EscapeCurves.Line(g.Method.Label(), g.Seeds, "trace_proxy", 1, "trace_proxy_se")).ToList(),
                $"The official code's proxy tr_G = B·(E‖noisy-label gradient‖² − E‖clean gradient‖²) from the {name} initialization; {seedsText} (± one standard error). It equals tr G only at a minimum of the smoothed loss."));
        }
        return figures;
    }
}
