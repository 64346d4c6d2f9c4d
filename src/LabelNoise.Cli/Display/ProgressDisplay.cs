using System.Diagnostics;
using System.Globalization;
using LabelNoise.Training;
using Spectre.Console;

namespace LabelNoise.Cli.Display;

/// <summary>
/// Shows training progress: a live bar with steps/s and the latest metrics on a terminal, a plain
/// line every few seconds when output is redirected (logs, CI, cluster jobs).
/// </summary>
public static class ProgressDisplay
{
    const double PlainIntervalSeconds = 5;

    public static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="work"/> with a progress sink suited to the console.</summary>
    public static T Run<T>(string title, Func<IProgress<TrainingProgress>, T> work)
    {
        if (!Interactive)
        {
            var clock = Stopwatch.StartNew();
            double last = double.NegativeInfinity;
            return work(new Sink(p =>
            {
                bool final = p.Step >= p.TotalSteps;
                if (!final && clock.Elapsed.TotalSeconds - last < PlainIntervalSeconds) return;
                last = clock.Elapsed.TotalSeconds;
                Console.WriteLine($"{title}: {Describe(p)}");
            }));
        }
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(title));
                result = work(new Sink(p =>
                {
                    task.MaxValue = Math.Max(1, p.TotalSteps);
                    task.Value = p.Step;
                    task.Description = Markup.Escape($"{title}: {Describe(p)}");
                }));
                task.Value = task.MaxValue;
            });
        return result;
    }

    public static string Describe(TrainingProgress p)
    {
        var parts = new List<string> { $"step {p.Step:N0}/{p.TotalSteps:N0}" };
        if (p.StepsPerSecond > 0) parts.Add($"{p.StepsPerSecond.ToString("N0", CultureInfo.InvariantCulture)} steps/s");
        if (p.Latest is { } row)
        {
            var values = new[] { "train_loss", "train_accuracy", "test_accuracy", "grad_norm" }
                .Where(name => row[name] is double).Select(name => $"{name}={row[name]!.Value.ToString("G4", CultureInfo.InvariantCulture)}").ToArray();
            if (values.Length > 0) parts.Add($"last evaluation (step {row.Step:N0}): {string.Join(" ", values)}");
        }
        return string.Join("  ", parts);
    }

    sealed class Sink(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
