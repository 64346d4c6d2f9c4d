using LabelNoise.Files;

namespace LabelNoise.Experiments;

/// <summary>A phase of building an initialization, as recorded in inits.csv.</summary>
/// <param name="Phase">0 = full-batch GD, 1 = memorize random labels, 2 = fit the true labels, 3 = polish with plain SGD.</param>
/// <param name="Accuracy">Accuracy on the phase's own training data at its end (random labels for phase 1).</param>
public sealed record InitPhase(EscapeInit Init, int Phase, int Steps, double Accuracy, double TestAccuracy, double Seconds)
{
    /// <summary>The clean cross entropy (mean over the phase's own training data) at the phase's end.</summary>
    public double Loss { get; init; } = double.NaN;

    /// <summary>‖∇L‖ of that loss at the phase's end.</summary>
    public double GradientNorm { get; init; } = double.NaN;

    /// <summary>Full-batch GD: ‖Δθ‖/‖θ‖ over its last check interval (NaN for the other phases).</summary>
    public double Movement { get; init; } = double.NaN;

    /// <summary>The columns of inits.csv.</summary>
    public static readonly string[] Columns = ["init", "phase", "steps", "accuracy", "test_acc", "loss", "grad_norm", "movement", "seconds"];

    /// <summary>This phase as a row of inits.csv.</summary>
    public double[] Row() => [(int)Init, Phase, Steps, Accuracy, TestAccuracy, Loss, GradientNorm, Movement, Seconds];

    /// <summary>inits.csv: a row per phase.</summary>
    public static CsvTable Table(IEnumerable<InitPhase> phases)
    {
        var table = new CsvTable(Columns);
        foreach (var p in phases) table.Add(p.Row());
        return table;
    }
}
