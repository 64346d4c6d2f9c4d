using System.CommandLine;
using System.Diagnostics;
using LabelNoise.Cli.CommandLine;
using LabelNoise.Diagnostics;
using LabelNoise.Experiments;
using LabelNoise.Models;
using LabelNoise.Report;

namespace LabelNoise.Cli.Commands;

/// <summary>labelnoise reproduce: the paper's claims as experiments, with figures and a report.</summary>
public static class ReproduceCommand
{
    public static readonly Argument<string[]> Names = Experiments();
    public static readonly Option<string> Out = CliOptions.Text("--out", "DIR", "where the results and the report go", "results");
    public static readonly Option<bool> Full = CliOptions.Switch("--full", "the paper's scale where this machine and the data allow (default: laptop scale)");
    public static readonly Option<bool> Tiny = CliOptions.Switch("--tiny", "a seconds-long smoke run of every experiment (what the tests run)");
    public static readonly Option<ulong> Seed = CliOptions.Seed("--seed", "base seed", 0);
    public static readonly Option<bool> FromData = CliOptions.Switch("--from-data", "recompute figures, verdicts and the report from the data already in DIR (no training)");

    public static readonly Command Command = Declare();

    static Command Declare()
    {
        var command = new DocumentedCommand("reproduce", "reproduce the paper's claims at laptop scale (results/ and a report)", """
            Runs the reproduction suite (or the named experiments) and writes DIR/<experiment>/ (CSV data,
            PNG and SVG figures, config.json, summary.json) and DIR/report.md and DIR/report.html with the
            table "claim of the paper | what we measured | criterion | margin | holds?".
            """) { Names, Out, Full, Tiny, Seed, FromData };
        command.SetAction((result, cancellation) => Task.FromResult(Run(result, cancellation)));
        return command;
    }

    static Argument<string[]> Experiments()
    {
        var names = ExperimentCatalog.All.Select(e => e.Name).ToArray();
        var argument = new Argument<string[]>("NAME")
        {
            Arity = ArgumentArity.ZeroOrMore,
            HelpName = "NAME",
            Description = $"experiments to run: {string.Join(", ", names)} (default: all but {string.Join(", ", ExperimentCatalog.All.Except(ExperimentCatalog.Default).Select(e => e.Name))}, which runs by name only)",
        };
        argument.CompletionSources.Add(names);
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => !names.Contains(t.Value)))
            {
                string hint = Suggestion.DidYouMean(token.Value, names);
                result.AddError($"unknown experiment '{token.Value}'" + (hint.Length > 0 ? hint : $": choose from {string.Join(", ", names)}"));
            }
        });
        return argument;
    }

    public static int Run(ParseResult options, CancellationToken cancellation)
    {
        if (options.GetValue(Full) && options.GetValue(Tiny)) throw new UsageException("choose --full or --tiny, not both");
        var given = options.GetValue(Names) ?? [];
        var experiments = given.Length == 0 ? ExperimentCatalog.Default : given.Select(ExperimentCatalog.Find).ToArray();
        var scale = options.GetValue(Full) ? ExperimentScale.Full : options.GetValue(Tiny) ? ExperimentScale.Tiny : ExperimentScale.Laptop;
        string folder = options.GetValue(Out)!;
        ulong seed = options.GetValue(Seed);
        if (options.GetValue(FromData))
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
        var machine = Doctor.Run(DoctorCommand.PythonTorch(), modelKinds: false).Line;
        Console.WriteLine($"machine (labelnoise doctor): {machine}");
        double before = ReproduceRun.MeasureGflops();
        Console.WriteLine($"machine: float32 matmul {ReproduceRun.DefaultMatmulSize}² at {before:F0} GFLOP/s on {Environment.ProcessorCount} cores");
        for (int k = 0; k < experiments.Count; k++)
        {
            var experiment = experiments[k];
            string prefix = $"[{k + 1}/{experiments.Count}] {experiment.Name}";
            Console.WriteLine($"{prefix}: {experiment.Title}");
            var progress = new Progress(message => Console.WriteLine($"{prefix}: {message}"));
            var summary = ExperimentRunner.Run(experiment, folder, scale, seed, progress, cancellation, () => ReproduceRun.MeasureGflops());
            foreach (var claim in summary.Claims)
                Console.WriteLine($"{prefix}: {VerdictWord(claim.Verdict)}: {claim.Statement} — {claim.Measured}");
            Console.WriteLine($"{prefix}: done in {summary.Seconds:F1} s → {Path.Combine(folder, experiment.Name)}");
        }
        double after = ReproduceRun.MeasureGflops();
        new ReproduceRun(experiments.Select(e => e.Name).ToArray(), scale.ToString().ToLowerInvariant(), seed, clock.Elapsed.TotalSeconds, before, after,
            ReproduceRun.DefaultMatmulSize, Environment.ProcessorCount, machine + "; every model of this run: " + string.Join(", ", GradientSelfCheck.Results.Select(r => $"{r.Model} {r.Word}"))).Write(folder);
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
