using System.Globalization;
using System.Text;
using LabelNoise.Cli.CommandLine;
using LabelNoise.Cli.Display;
using LabelNoise.Reporting;
using LabelNoise.Training;

namespace LabelNoise.Cli.Commands;

/// <summary>
/// labelnoise reproduce. Until the experiment suite lands, a demonstration on Fashion-MNIST:
/// the same network from the same initialization trained by plain minibatch SGD and by SGD with
/// label flipping (p = 0.2), and the sparse-recovery model with and without ±1 label noise.
/// </summary>
public static class ReproduceCommand
{
    public const string Help = """
        labelnoise reproduce [--out DIR] [--steps T] [--seed s]

        A demonstration until the full suite of the paper's experiments lands: an MLP 784-128-10 on
        2,000 Fashion-MNIST images trained by plain SGD and by label-flip SGD (p = 0.2), and the
        quadratic sparse-recovery model (d = 100, n = 40) by gradient descent and by ±1 label-noise
        SGD. Each run is a folder under DIR (default results/demo); DIR/summary.md tabulates them.
        """;

    public static int Run(string[] args, CancellationToken cancellation)
    {
        var options = new OptionReader("reproduce", args, ["out", "steps", "seed"], []);
        if (options.Positional.Count > 0) throw new UsageException($"unknown experiment '{options.Positional[0]}': the experiment suite is not there yet (see 'labelnoise reproduce --help')");
        string folder = options.String("out", Path.Combine("results", "demo"));
        long steps = options.Long("steps", 6000);
        ulong seed = options.ULong("seed", 0);
        if (steps < 1) throw new UsageException($"--steps must be at least 1, not {steps}");

        var image = new TrainingConfig
        {
            Model = "mlp:128", Data = "fashion-mnist", TrainSize = 2000, TestSize = 2000, LearningRate = 0.1, BatchSize = 32,
            Steps = steps, Seed = seed, EvalEvery = Math.Max(1, steps / 20), CheckpointEvery = steps,
        };
        var sparse = new TrainingConfig
        {
            Model = "quadratic", Data = "sparse:d=100,n=40,r=5,seed=1", LearningRate = 0.01, BatchSize = 1,
            Steps = 100 * steps, Seed = seed, EvalEvery = Math.Max(1, 100 * steps / 20), CheckpointEvery = 100 * steps,
        };
        var runs = new (string Name, TrainingConfig Config)[]
        {
            ("fashion-mnist-sgd", image),
            ("fashion-mnist-label-flip", image with { Noise = "flip:0.2" }),
            ("sparse-gradient-descent", sparse with { FullBatch = true, LearningRate = 0.01 }),
            ("sparse-label-noise", sparse with { Noise = "pm:1", LearningRate = 0.005 }),
        };
        var rows = new List<(string Name, TrainingConfig Config, TrainingResult Result)>();
        foreach (var (name, config) in runs)
        {
            var runFolder = Path.Combine(folder, name);
            if (Directory.Exists(runFolder)) Directory.Delete(runFolder, true);
            using var session = TrainingSetup.Create(config);
            Directory.CreateDirectory(runFolder);
            RunConfigFile.Write(runFolder, config);
            var result = ProgressDisplay.Run(name, progress => Trainer.Run(session, runFolder, false, progress, cancellation));
            if (result.Interrupted) { Console.Error.WriteLine($"interrupted during {name}"); return 130; }
            rows.Add((name, config, result));
        }
        var summary = Summary(rows);
        AtomicFile.WriteAllText(Path.Combine(folder, "summary.md"), summary);
        Console.WriteLine(summary);
        return 0;
    }

    static string Summary(List<(string Name, TrainingConfig Config, TrainingResult Result)> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("# LabelNoise demonstration");
        text.AppendLine();
        text.AppendLine("| run | model | data | noise | η | B | steps | train loss | test loss | test accuracy | ‖∇L‖ |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (name, c, r) in rows)
        {
            string Cell(string metric) => r.Last?[metric] is double v ? v.ToString("G4", CultureInfo.InvariantCulture) : "—";
            text.AppendLine($"| {name} | {c.Model} | {c.Data} | {(c.FullBatch ? "full batch" : c.Noise)} | {c.LearningRate.ToString(CultureInfo.InvariantCulture)} | {(c.FullBatch ? "n" : c.BatchSize)} | {c.Steps:N0} | {Cell("train_loss")} | {Cell("test_loss")} | {Cell("test_accuracy")} | {Cell("grad_norm")} |");
        }
        text.AppendLine();
        text.AppendLine("Each run's metrics over time are in its folder (metrics.csv, metrics.jsonl, tensorboard/).");
        return text.ToString();
    }
}
