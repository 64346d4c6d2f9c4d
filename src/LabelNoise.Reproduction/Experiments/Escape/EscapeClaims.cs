using System.Globalization;
using LabelNoise.Files;
using LabelNoise.Figures;

namespace LabelNoise.Experiments;

/// <summary>Escape's claims: the criteria (in points of test accuracy) and the verdicts computed from the written results.</summary>
public static class EscapeClaims
{
    /// <summary>Points of test accuracy (absolute, in %) label noise must gain over the adversarial initialization.</summary>
    public const double EscapeGainPoints = 2;

    /// <summary>Points of test accuracy label noise must end above plain SGD from the same initialization.</summary>
    public const double AboveSgdPoints = 1.5;

    /// <summary>Plain SGD "stays" when its test accuracy changes by at most this many points.</summary>
    public const double StayPoints = 1;

    /// <summary>The smoothed control "does not improve like label noise" when it ends at least this many points below it.</summary>
    public const double ControlGapPoints = 1;

    /// <summary>Label noise "reaches the baseline" from the full-batch initialization when it ends within this many points of it.</summary>
    public const double BaselinePoints = 1;

    /// <summary>"100 % training accuracy" up to one image in a thousand (plain SGD at η = 0.1 keeps a boundary image or two flickering).</summary>
    public const double FullTrainAccuracy = 0.999;

    /// <summary>A curvature number is "resolved" when its standard error is below this fraction of its value.</summary>
    public const double ResolvedFraction = 0.1;

    /// <summary>
    /// Whether every tr ∇²L and R of the given runs after the first measured point has a standard error below
    /// <see cref="ResolvedFraction"/> of its value; the worst ratio found (NaN when there is nothing to check).
    /// </summary>
    public static (bool Resolved, double WorstRatio, int Points) Resolution(IEnumerable<CsvTable> runs)
    {
        double worst = 0;
        int points = 0;
        foreach (var run in runs.Select(EscapeCurves.Measured))
            for (int i = 2; i < run.RowCount; i++)
                foreach (var (value, error) in new[] { ("trace", "trace_se"), ("regularizer", "regularizer_se") })
                {
                    double v = run[i, value], e = run[i, error];
                    if (double.IsPositiveInfinity(v)) continue;
                    double ratio = Math.Abs(v) > 0 ? e / Math.Abs(v) : double.PositiveInfinity;
                    worst = Math.Max(worst, double.IsNaN(ratio) ? double.PositiveInfinity : ratio);
                    points++;
                }
        return (points > 0 && worst < ResolvedFraction, points > 0 ? worst : double.NaN, points);
    }

    /// <summary>tr ∇²L at the first measured step after step 0 (step 0 is a saturated-softmax point).</summary>
    static double TraceFirst(CsvTable run)
    {
        var measured = EscapeCurves.Measured(run);
        return measured.RowCount == 0 ? double.NaN : measured[Math.Min(1, measured.RowCount - 1), "trace"];
    }

    /// <summary>Points of test accuracy a run gained from its start to its end.</summary>
    static double GainPoints(CsvTable run) => 100 * (EscapeCurves.Final(run, "test_acc") - EscapeCurves.Initial(run, "test_acc"));

    /// <summary>Whether a run of plain SGD "stays": its test accuracy moved by at most <see cref="StayPoints"/> and it still fits the training set.</summary>
    static bool Stays(CsvTable run) => Math.Abs(GainPoints(run)) <= StayPoints && EscapeCurves.Final(run, "train_acc") >= FullTrainAccuracy;

    /// <summary>
    /// Label noise escapes in one pair of runs that share a seed: it ends ≥ <see cref="AboveSgdPoints"/> above plain SGD and its
    /// tr ∇²L falls from the first measured step after 0 (also the test of momentum's escape claim).
    /// </summary>
    public static bool EscapesAboveSgd(CsvTable noise, CsvTable sgd) =>
        100 * (EscapeCurves.Final(noise, "test_acc") - EscapeCurves.Final(sgd, "test_acc")) >= AboveSgdPoints && EscapeCurves.Final(noise, "trace") < TraceFirst(noise);

    /// <summary>Label noise gains at least <see cref="EscapeGainPoints"/> in one run.</summary>
    public static bool GainsEnough(CsvTable noise) => GainPoints(noise) >= EscapeGainPoints;

    /// <summary>How many of the pairs meet a condition, as a margin part ("2 of 3 seeds meet it").</summary>
    public static (bool All, string Text) SeedCount((CsvTable A, CsvTable B)[] pairs, Func<CsvTable, CsvTable, bool> meets)
    {
        int meeting = pairs.Count(p => meets(p.A, p.B));
        return (pairs.Length > 0 && meeting == pairs.Length, Margin.Seeds(meeting, pairs.Length));
    }

    /// <summary>How many of the runs meet a condition, as a margin part.</summary>
    public static (bool All, string Text) SeedCount(CsvTable[] runs, Func<CsvTable, bool> meets) =>
        SeedCount(runs.Select(r => (r, r)).ToArray(), (a, _) => meets(a));

    /// <summary>The criterion's words for the per-seed requirement.</summary>
    public const string EverySeed = ", in the medians and in every seed on its own (seeds paired by their shared batches)";

    public static IReadOnlyList<Claim> Evaluate(string folder)
    {
        var curves = CsvTable.Read(Path.Combine(folder, EscapeConfig.CurvesFile));
        var search = CsvTable.Read(Path.Combine(folder, FullBatchSearch.FileName));
        string P(double fraction) => (100 * fraction).ToString(fraction > 0.99 && fraction < 1 ? "F2" : "F1", CultureInfo.InvariantCulture) + " %";
        string F(double x) => x.ToString("G3", CultureInfo.InvariantCulture);
        string Pts(double x) => x.ToString("+0.0;−0.0", CultureInfo.InvariantCulture);
        var baselineSeeds = EscapeCurves.Seeds(curves, EscapeInit.Random, EscapeMethod.Sgd);
        double baseline = EscapeCurves.MedianAt(baselineSeeds, "test_acc", -1);
        var claims = new List<Claim>();

        {
            var noiseRuns = EscapeCurves.Seeds(curves, EscapeInit.Adversarial, EscapeMethod.LabelNoise);
            var sgdRuns = EscapeCurves.Seeds(curves, EscapeInit.Adversarial, EscapeMethod.Sgd);
            var smoothedRuns = EscapeCurves.Seeds(curves, EscapeInit.Adversarial, EscapeMethod.Smoothed);
            var noise = EscapeSummary.Summarize(EscapeInit.Adversarial, EscapeMethod.LabelNoise, noiseRuns);
            var sgd = EscapeSummary.Summarize(EscapeInit.Adversarial, EscapeMethod.Sgd, sgdRuns);
            var smoothed = EscapeSummary.Summarize(EscapeInit.Adversarial, EscapeMethod.Smoothed, smoothedRuns);
            double start = sgd.TestInitial.Median;
            double below = 100 * (baseline - start);
            claims.Add(new Claim("The adversarial initialization is a poor global minimizer: 100 % training accuracy, worse test accuracy than the SGD baseline",
                $"training accuracy {P(sgd.TrainInitial)}, test {P(start)}; SGD baseline from random initializations {P(baseline)} (median of {baselineSeeds.Length})",
                $"training accuracy ≥ {100 * FullTrainAccuracy:F1} % and test accuracy at least {FullBatchSearch.PoorPoints} points below the baseline",
                sgd.TrainInitial >= FullTrainAccuracy && below >= FullBatchSearch.PoorPoints)
            {
                Margin = Margin.Join(Margin.AtLeast(100 * sgd.TrainInitial, 100 * FullTrainAccuracy, " %", "F2"), Margin.AtLeast(below, FullBatchSearch.PoorPoints, " points", "F1")),
            });

            var withSgd = EscapeCurves.Paired(noiseRuns, sgdRuns);
            double gain = 100 * (noise.TestFinal.Median - noise.TestInitial.Median);
            double overSgd = 100 * (noise.TestFinal.Median - sgd.TestFinal.Median);
            string measured = $"label noise: test {P(noise.TestInitial.Median)} → {P(noise.TestFinal.Median)} ({Pts(gain)} points; averaged iterate {P(noise.EmaFinal.Median)}); " +
                $"plain SGD from the same point ends at {P(sgd.TestFinal.Median)} ({Pts(overSgd)} points for label noise); " +
                $"tr ∇²L {F(noise.TraceFirst.Median)} at the first measured step after 0 → {Uncertain.Format(noise.TraceFinal.Median, noise.TraceStandardErrorFinal, "G3", "G3")} at the end (medians of {noise.Seeds} seeds)";
            var escapes = SeedCount(withSgd, EscapesAboveSgd);
            claims.Add(new Claim("From the adversarial initialization label-noise SGD escapes toward flatter minimizers that generalize better: it ends well above plain SGD from the same point, and tr ∇²L falls",
                measured,
                $"final test accuracy (last iterate) at least {AboveSgdPoints} points above plain SGD's, and the final tr ∇²L below its value at the first measured step after step 0 (step 0 is a saturated-softmax point, not a minimizer of L){EverySeed}",
                overSgd >= AboveSgdPoints && noise.TraceFinal.Median < noise.TraceFirst.Median && escapes.All)
            {
                Margin = Margin.Join(Margin.AtLeast(overSgd, AboveSgdPoints, " points", "F1"), Margin.Below(noise.TraceFinal.Median, noise.TraceFirst.Median), escapes.Text),
            });
            var gains = SeedCount(noiseRuns, GainsEnough);
            claims.Add(new Claim("… and the gain is several points of test accuracy (Fig. 3)",
                measured,
                $"test accuracy gain of the last iterate ≥ {EscapeGainPoints} points{EverySeed}",
                gain >= EscapeGainPoints && gains.All)
            {
                Margin = Margin.Join(Margin.AtLeast(gain, EscapeGainPoints, " points", "F1"), gains.Text),
            });

            double moved = 100 * (sgd.TestFinal.Median - sgd.TestInitial.Median);
            var stays = SeedCount(sgdRuns, Stays);
            claims.Add(new Claim("Plain minibatch SGD stays at the adversarial initialization",
                $"plain SGD: test {P(sgd.TestInitial.Median)} → {P(sgd.TestFinal.Median)} ({moved:+0.00;−0.00} points), training accuracy {P(sgd.TrainFinal)} at the end",
                $"|change of test accuracy| ≤ {StayPoints} point and training accuracy still ≥ {100 * FullTrainAccuracy:F1} %{EverySeed}",
                Math.Abs(moved) <= StayPoints && sgd.TrainFinal >= FullTrainAccuracy && stays.All)
            {
                Margin = Margin.Join(Margin.AtMost(Math.Abs(moved), StayPoints, " points", "F2"), Margin.AtLeast(100 * sgd.TrainFinal, 100 * FullTrainAccuracy, " %", "F2"), stays.Text),
            });

            double controlGap = 100 * (noise.TestFinal.Median - smoothed.TestFinal.Median);
            var worse = SeedCount(EscapeCurves.Paired(noiseRuns, smoothedRuns),
                (n, m) => 100 * (EscapeCurves.Final(n, "test_acc") - EscapeCurves.Final(m, "test_acc")) >= ControlGapPoints && EscapeCurves.Final(m, "trace") > EscapeCurves.Final(n, "trace"));
            claims.Add(new Claim("The noise itself does the work: from the adversarial initialization the smoothed control (same expected loss, no noise) does not improve like label noise and ends sharper",
                $"final test accuracy: smoothed {P(smoothed.TestFinal.Median)}, label noise {P(noise.TestFinal.Median)}; final tr ∇²L: smoothed {Uncertain.Format(smoothed.TraceFinal.Median, smoothed.TraceStandardErrorFinal, "G3", "G3")}, label noise {Uncertain.Format(noise.TraceFinal.Median, noise.TraceStandardErrorFinal, "G3", "G3")}",
                $"the smoothed control ends at least {ControlGapPoints} point below label noise in test accuracy and with a larger tr ∇²L{EverySeed}",
                controlGap >= ControlGapPoints && smoothed.TraceFinal.Median > noise.TraceFinal.Median && worse.All)
            {
                Margin = Margin.Join(Margin.AtLeast(controlGap, ControlGapPoints, " points", "F1"), Margin.Above(smoothed.TraceFinal.Median, noise.TraceFinal.Median), worse.Text),
            });
        }

        int qualifying = FullBatchSearch.Qualifying(search);
        string evidence = search.RowCount == 0 ? "no setting was searched" : "the search: " + FullBatchSearch.Describe(search);
        var fbNoise = EscapeCurves.Seeds(curves, EscapeInit.FullBatch, EscapeMethod.LabelNoise);
        var fbSgd = EscapeCurves.Seeds(curves, EscapeInit.FullBatch, EscapeMethod.Sgd);
        bool testable = qualifying >= 0 && fbNoise.Length > 0 && fbSgd.Length > 0;
        claims.Add(Claim.Conditional("Full-batch gradient descent from a random initialization reaches a poor global minimizer: 100 % training accuracy, worse test accuracy than minibatch SGD (76 % in the paper)",
            evidence,
            $"some searched setting where GD converges (training loss ≤ the recipe's threshold, parameters no longer moving) at 100 % training accuracy and tests at least {FullBatchSearch.PoorPoints} points below minibatch SGD (otherwise the full-batch claims are not testable at this scale)",
            testable, testable) with
        {
            Margin = testable ? Margin.AtLeast(search[qualifying, "gap_points"], FullBatchSearch.PoorPoints, " points", "F1") : "",
        });
        {
            var noise = testable ? EscapeSummary.Summarize(EscapeInit.FullBatch, EscapeMethod.LabelNoise, fbNoise) : null;
            var sgd = testable ? EscapeSummary.Summarize(EscapeInit.FullBatch, EscapeMethod.Sgd, fbSgd) : null;
            double reference = testable ? search[qualifying, "sgd_test_acc"] : double.NaN;
            double short_ = testable ? 100 * (reference - noise!.TestFinal.Median) : double.NaN;
            var reaching = SeedCount(fbNoise, n => 100 * (reference - EscapeCurves.Final(n, "test_acc")) <= BaselinePoints);
            claims.Add(Claim.Conditional("From the full-batch initialization label-noise SGD reaches the SGD baseline",
                testable ? $"label noise: test {P(noise!.TestInitial.Median)} → {P(noise.TestFinal.Median)} (averaged iterate {P(noise.EmaFinal.Median)}); minibatch SGD in that setting {P(reference)}; plain SGD from the same point ends at {P(sgd!.TestFinal.Median)}"
                    : "no poor full-batch initialization at this scale (see the first full-batch row)",
                $"final test accuracy (median of the seeds) within {BaselinePoints} point of the setting's minibatch-SGD accuracy or above it",
                testable, testable && short_ <= BaselinePoints) with
            {
                Margin = testable ? Margin.Join(Margin.AtMost(short_, BaselinePoints, " points", "F1"), reaching.Text) : "",
            });
            double moved = testable ? 100 * (sgd!.TestFinal.Median - sgd.TestInitial.Median) : double.NaN;
            var stays = SeedCount(fbSgd, Stays);
            claims.Add(Claim.Conditional("Plain minibatch SGD stays at the full-batch initialization",
                testable ? $"plain SGD: test {P(sgd!.TestInitial.Median)} → {P(sgd.TestFinal.Median)} ({moved:+0.00;−0.00} points), training accuracy {P(sgd.TrainFinal)} at the end"
                    : "no poor full-batch initialization at this scale (see the first full-batch row)",
                $"|change of test accuracy| ≤ {StayPoints} point and training accuracy still ≥ {100 * FullTrainAccuracy:F1} %{EverySeed}",
                testable, testable && Math.Abs(moved) <= StayPoints && sgd!.TrainFinal >= FullTrainAccuracy && stays.All) with
            {
                Margin = testable ? Margin.Join(Margin.AtMost(Math.Abs(moved), StayPoints, " points", "F2"), Margin.AtLeast(100 * sgd!.TrainFinal, 100 * FullTrainAccuracy, " %", "F2"), stays.Text) : "",
            });
        }

        var onManifold = new[] { EscapeMethod.LabelNoise, EscapeMethod.Smoothed }.SelectMany(m => EscapeCurves.Seeds(curves, EscapeInit.Adversarial, m)).ToArray();
        var (resolved, worst, points) = Resolution(onManifold);
        claims.Add(new Claim("(Measurement) The curvature numbers shown are resolved: tr ∇²L and R of the label-noise and smoothed runs have a standard error below 10 % of their value at every measured point after the first",
            $"{points} numbers checked over {onManifold.Length} runs; the largest standard error is {100 * worst:F1} % of its value",
            $"standard error < {100 * ResolvedFraction:F0} % of the value everywhere after the first measured point (step 0 is a saturated-softmax point off the manifold of L's minimizers)",
            resolved)
        {
            Margin = Margin.AtMost(100 * worst, 100 * ResolvedFraction, " % of the value", "F1"),
        });
        return claims;
    }
}
