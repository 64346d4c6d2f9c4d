using System.Diagnostics;
using LabelNoise.Cli.CommandLine;
using LabelNoise.Experiments;
using LabelNoise.Reporting;

namespace LabelNoise.Cli.Commands;

/// <summary>labelnoise reproduce: the paper's claims as experiments, with figures and a report.</summary>
public static class ReproduceCommand
{
    public static string Help => $"""
        labelnoise reproduce [NAME ...] [--out DIR] [--full] [--seed s] [--from-data]

        Runs the reproduction suite (or the named experiments) and writes DIR/<experiment>/ (CSV data,
        PNG and SVG figures, config.json, summary.json) and DIR/report.md and DIR/report.html with the
        table "claim of the paper | what we measured | holds?". DIR defaults to results.

          --full     the paper's scale where this machine and the data allow (default: laptop scale)
          --tiny     a seconds-long smoke run of every experiment (what the tests run)
          --seed s   base seed (default 0)
          --from-data  recompute figures, verdicts and the report from the data already in DIR (no training)

        experiments: {string.Join(", ", ExperimentCatalog.All.Select(e => e.Name))}
        """;

    public static int Run(string[] args, CancellationToken cancellation)
    {
        var options = new OptionReader("reproduce", args, ["out", "seed"], ["full", "tiny", "from-data"]);
        if (options.Flag("full") && options.Flag("tiny")) throw new UsageException("choose --full or --tiny, not both");
        var experiments = options.Positional.Count == 0 ? ExperimentCatalog.All : options.Positional.Select(ExperimentCatalog.Find).ToArray();
        var scale = options.Flag("full") ? ExperimentScale.Full : options.Flag("tiny") ? ExperimentScale.Tiny : ExperimentScale.Laptop;
        string folder = options.String("out", "results");
        ulong seed = options.ULong("seed", 0);
        if (options.Flag("from-data"))
        {
            foreach (var experiment in experiments)
            {
                if (!File.Exists(Path.Combine(folder, experiment.Name, ExperimentSummary.FileName)))
                    throw new UsageException($"{Path.Combine(folder, experiment.Name)} holds no results to recompute; run 'labelnoise reproduce {experiment.Name}' first");
                var summary = ExperimentRunner.Refresh(experiment, folder);
                foreach (var claim in summary.Claims) Console.WriteLine($"{experiment.Name}: {VerdictWord(claim.Verdict)}: {claim.Statement} — {claim.Measured}");
            }
            ReportWriter.Write(folder);
            Console.WriteLine($"report: {Path.Combine(folder, "report.html")} and report.md (recomputed from the data)");
            return 0;
        }
        Directory.CreateDirectory(folder);
        var clock = Stopwatch.StartNew();
        double before = ReproduceRun.MeasureGflops();
        Console.WriteLine($"machine: float32 matmul {ReproduceRun.DefaultMatmulSize}² at {before:F0} GFLOP/s on {Environment.ProcessorCount} cores");
        for (int k = 0; k < experiments.Count; k++)
        {
            var experiment = experiments[k];
            string prefix = $"[{k + 1}/{experiments.Count}] {experiment.Name}";
            Console.WriteLine($"{prefix}: {experiment.Title}");
            var progress = new Progress(message => Console.WriteLine($"{prefix}: {message}"));
            var summary = ExperimentRunner.Run(experiment, folder, scale, seed, progress, cancellation);
            foreach (var claim in summary.Claims)
                Console.WriteLine($"{prefix}: {VerdictWord(claim.Verdict)}: {claim.Statement} — {claim.Measured}");
            Console.WriteLine($"{prefix}: done in {summary.Seconds:F1} s → {Path.Combine(folder, experiment.Name)}");
        }
        double after = ReproduceRun.MeasureGflops();
        new ReproduceRun(experiments.Select(e => e.Name).ToArray(), scale.ToString().ToLowerInvariant(), seed, clock.Elapsed.TotalSeconds, before, after,
            ReproduceRun.DefaultMatmulSize, Environment.ProcessorCount).Write(folder);
        ReportWriter.Write(folder);
        Console.WriteLine($"report: {Path.Combine(folder, "report.html")} and report.md ({clock.Elapsed.TotalSeconds:F0} s in all)");
        return 0;
    }

    static string VerdictWord(Verdict verdict) => verdict switch { Verdict.Holds => "holds", Verdict.DoesNotHold => "DOES NOT HOLD", _ => "NOT TESTABLE AT THIS SCALE" };

    sealed class Progress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
