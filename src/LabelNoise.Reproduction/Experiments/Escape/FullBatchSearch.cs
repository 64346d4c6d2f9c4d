using System.Diagnostics;
using System.Globalization;
using LabelNoise.Models;
using LabelNoise.Files;

namespace LabelNoise.Experiments;

/// <summary>
/// The search for a laptop-scale setting where the paper's full-batch initialization is poor: full-batch gradient descent,
/// run until it has converged to a minimizer (<see cref="EscapeRuns.FullBatchInit"/>), tests at least <see cref="PoorPoints"/> points below minibatch SGD. Each candidate is
/// one row of the search table (written whole); the full-batch claims are tested at the first candidate that qualifies,
/// and are "not testable at this scale" when none does.
/// </summary>
public static class FullBatchSearch
{
    /// <summary>An initialization is "poor" when it tests at least this many points below the baseline.</summary>
    public const double PoorPoints = 3;

    public const string FileName = "fullbatch-search.csv";

    public static readonly string[] Columns =
        ["candidate", "train_size", "cnn", "width", "depth", "gd_learning_rate", "gd_momentum", "gd_steps", "gd_train_acc", "gd_loss", "gd_grad_norm", "gd_movement", "converged", "gd_test_acc", "sgd_test_acc", "gap_points", "seconds"];

    /// <summary>The setting of the escape runs with a candidate's data size and model.</summary>
    public static EscapeSetting SettingOf(EscapeSetting escape, FullBatchCandidate candidate) =>
        escape with { TrainSize = candidate.TrainSize, Model = candidate.Model };

    /// <summary>Runs one candidate: full-batch GD until it converges, then minibatch SGD from a random initialization; one table row.</summary>
    public static (double[] Row, BuiltInit Init) Try(int index, FullBatchCandidate candidate, EscapeSetting escape, InitRecipe recipe, double learningRate,
        ulong experimentSeed, CancellationToken cancellation = default)
    {
        candidate.Validate();
        var clock = Stopwatch.StartNew();
        var runs = new EscapeRuns(SettingOf(escape, candidate));
        var init = runs.FullBatchInit(recipe with { FullBatch = candidate.GradientDescent }, experimentSeed, cancellation);
        var phase = init.Phases[0];
        var sgd = runs.Run(new RunRecipe
        {
            Init = EscapeInit.Random, Method = EscapeMethod.Sgd, Seed = 0, LearningRate = learningRate, Steps = candidate.SgdSteps, Evaluations = 1,
            MeasureCurvature = false,
        }, null, experimentSeed, cancellation: cancellation);
        var spec = ModelSpec.Parse(candidate.Model);
        bool cnn = spec.Kind == "cnn";
        double width = cnn ? spec.BaseWidth : spec.HiddenWidths.Max(), depth = cnn ? 1 : spec.HiddenWidths.Length;
        double gap = 100 * (sgd[^1].TestAccuracy - phase.TestAccuracy);
        return ([index, candidate.TrainSize, cnn ? 1 : 0, width, depth, candidate.GradientDescent.LearningRate, candidate.GradientDescent.Momentum,
            phase.Steps, phase.Accuracy, phase.Loss, phase.GradientNorm, phase.Movement, Converged(phase, recipe) ? 1 : 0, phase.TestAccuracy, sgd[^1].TestAccuracy, gap,
            clock.Elapsed.TotalSeconds], init);
    }

    /// <summary>Whether full-batch GD met the recipe's convergence criterion (rather than running out of steps).</summary>
    public static bool Converged(InitPhase phase, InitRecipe recipe) =>
        phase.Loss <= recipe.MinimizerLoss && phase.Movement <= recipe.MinimizerMovement;

    public static CsvTable NewTable() => new(Columns);

    /// <summary>The first row (in candidate order) whose GD converged at 100 % training accuracy and tests ≥ <see cref="PoorPoints"/> below SGD; −1 if none.</summary>
    public static int Qualifying(CsvTable table)
    {
        for (int i = 0; i < table.RowCount; i++)
            if (table[i, "converged"] == 1 && table[i, "gd_train_acc"] >= 1 && table[i, "gap_points"] >= PoorPoints) return i;
        return -1;
    }

    /// <summary>The search in words: one "setting: GD x %, SGD y %, gap z points, t s" per row.</summary>
    public static string Describe(CsvTable table) => string.Join("; ", Enumerable.Range(0, table.RowCount).Select(i => DescribeRow(table, i)));

    /// <summary>Row <paramref name="i"/> of the search in words.</summary>
    public static string DescribeRow(CsvTable table, int i) => string.Create(CultureInfo.InvariantCulture,
        $"{FullBatchCandidate.Describe(table[i, "train_size"], table[i, "cnn"], table[i, "width"], table[i, "depth"], table[i, "gd_learning_rate"], table[i, "gd_momentum"])}: " +
        $"GD {table[i, "gd_steps"]:N0} steps to {100 * table[i, "gd_train_acc"]:F1} % train, loss {table[i, "gd_loss"]:G2}, ‖∇L‖ {table[i, "gd_grad_norm"]:G2}{(table[i, "converged"] == 1 ? "" : " (not converged)")}, test {100 * table[i, "gd_test_acc"]:F1} %; SGD {100 * table[i, "sgd_test_acc"]:F1} %; gap {table[i, "gap_points"]:F1} points ({table[i, "seconds"]:F0} s)");
}
