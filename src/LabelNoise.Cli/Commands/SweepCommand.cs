using System.Collections.Concurrent;
using System.CommandLine;
using System.CommandLine.Completions;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LabelNoise.Cli.CommandLine;
using LabelNoise.Cli.Display;
using LabelNoise.Data;
using LabelNoise.Training;
using LabelNoise.Files;

namespace LabelNoise.Cli.Commands;

/// <summary>labelnoise sweep: a grid of training runs, in parallel on one machine or one point per job of an array.</summary>
public static class SweepCommand
{
    /// <summary>Each option of 'train' that makes its configuration but --full-batch (a switch here too), taking a list of values.</summary>
    public static readonly IReadOnlyList<Option<string>> Axes = [.. TrainCommand.ConfigOptions.Where(o => o != TrainCommand.FullBatch).Select(Axis)];
    public static readonly Option<string> Out = CliOptions.Text("--out", "DIR", "the sweep's folder: point i runs in DIR/run-<i> (3 digits)");
    public static readonly Option<int?> Parallel = CliOptions.OptionalCount("--parallel", "k",
        "run k points at a time, each in its own process, splitting the cores between them (default: as many as cores)");
    public static readonly Option<int?> Threads = CliOptions.OptionalCount("--threads", "n", "libtorch threads per point (default: cores ÷ k)");
    public static readonly Option<int?> Index = CliOptions.OptionalCount("--index", "i", "run only point i (for a cluster's job array, e.g. Slurm's --index $SLURM_ARRAY_TASK_ID)");
    public static readonly Option<string> CollectFolder = CliOptions.Text("--collect", "DIR", "merge the runs of DIR into DIR/summary.csv and print it");
    /// <summary>Set on the child processes of --parallel: report progress in lines the parent reads.</summary>
    static readonly Option<bool> Worker = new("--worker") { Hidden = true };

    public static readonly Command Command = Declare();

    const string GridFile = "sweep.json";

    static Command Declare()
    {
        var command = new DocumentedCommand("sweep", "a grid of training runs, in parallel or one point per cluster job", """
            labelnoise sweep [train options, each with one or more values] --out DIR [--parallel k] [--index i]
            labelnoise sweep --collect DIR

            Every 'train' option takes a list: --lr 0.05,0.1 --seed 0,1,2 (options whose values hold commas
            — --model, --data, --lr-decay — separate alternatives with ';'). The grid is the product, in a
            fixed order (the last option varies fastest); point i runs in DIR/run-<i> (3 digits).
            A point whose folder holds an unfinished checkpoint is resumed; a finished one is skipped.
            """);
        foreach (var option in TrainCommand.ConfigOptions) command.Add(option == TrainCommand.FullBatch ? option : Axes.Single(a => a.Name == option.Name));
        foreach (var option in new Option[] { Out, Parallel, Threads, Index, CollectFolder, Worker }) command.Add(option);
        command.SetAction((result, cancellation) => Task.FromResult(Run(result, cancellation)));
        return command;
    }

    /// <summary>The sweep's form of a 'train' option: the same name, description, default and completions, its value a list.</summary>
    static Option<string> Axis(Option train)
    {
        string fallback = train.HasDefaultValue ? string.Create(CultureInfo.InvariantCulture, $" [default: {train.GetDefaultValue()}]") : "";
        string values = train.HelpName ?? string.Join("|", train.GetCompletions(CompletionContext.Empty).Select(c => c.Label));
        var axis = new Option<string>(train.Name) { Description = train.Description + fallback, HelpName = values + "..." };
        axis.CompletionSources.AddRange(train.CompletionSources);
        return axis;
    }

    public static int Run(ParseResult options, CancellationToken cancellation)
    {
        if (options.GetValue(CollectFolder) is { } collectFolder)
        {
            if (options.Given().Any(g => g.Option != CollectFolder)) throw new UsageException("--collect takes no other option");
            Console.Write(Collect(collectFolder));
            return 0;
        }
        string folder = options.GetValue(Out) ?? throw new UsageException("'sweep' needs --out DIR");
        var gridOptions = options.Given().Where(g => Axes.Contains(g.Option)) // in the command line's order
            .Select(g => (g.Option.Name[2..], options.GetValue((Option<string>)g.Option)!)).ToList();
        var grid = new SweepGrid(gridOptions);
        bool fullBatch = options.GetValue(TrainCommand.FullBatch);
        var configs = grid.Points.Select(p => ConfigOf(p, fullBatch)).ToArray();
        foreach (var config in configs) config.Validate();
        // Every option is read before anything is written: bad input leaves no folder behind.
        int[] selected = options.GetValue(Index) is int index ? [index] : Enumerable.Range(0, grid.Count).ToArray();
        foreach (var i in selected) _ = grid[i]; // checks the index
        bool worker = options.GetValue(Worker);
        int parallel = worker ? 1 : Math.Clamp(options.GetValue(Parallel) ?? Environment.ProcessorCount, 1, selected.Length);
        int threadsEach = options.GetValue(Threads) is int threads ? Math.Max(1, threads) : Math.Max(1, Environment.ProcessorCount / parallel);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, GridFile), JsonSerializer.Serialize(new
        {
            axes = grid.Axes.ToDictionary(a => a.Option, a => a.Values),
            points = grid.Count,
            fullBatch,
        }, new JsonSerializerOptions { WriteIndented = true }) + "\n");

        var status = new ConcurrentDictionary<int, string>();
        var progress = new ConcurrentDictionary<int, TrainingProgress>();
        void Finished(int i, string text)
        {
            status[i] = text;
            Console.WriteLine(worker ? SweepWorkers.StatusPrefix + text : $"sweep: {grid[i].FolderName} ({grid[i].Describe()}): {text}");
        }
        if (!worker) Console.Error.WriteLine($"sweep: {selected.Length} of {grid.Count} points, {parallel} at a time{(parallel > 1 ? " in separate processes" : "")}, {threadsEach} thread(s) each → {folder}");
        var clock = Stopwatch.StartNew();
        using var reporter = worker ? null : new Timer(_ => Console.WriteLine($"sweep: {Describe(selected, status, progress)} ({clock.Elapsed.TotalSeconds:F0} s)"),
            null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(ProgressDisplay.Interactive ? 2 : 5));
        if (parallel > 1)
        {
            SweepWorkers.Run(WorkerArguments(options), selected, parallel, threadsEach, (i, p) => progress[i] = p, i => status[i] = "running", Finished, cancellation);
            if (status.Values.Contains("interrupted"))
            {
                Console.Error.WriteLine("sweep: interrupted; run it again to resume the unfinished points");
                return 130;
            }
        }
        else
        {
            int previousThreads = TorchSharp.torch.get_num_threads();
            TorchSharp.torch.set_num_threads(threadsEach);
            try
            {
                foreach (int i in selected)
                {
                    cancellation.ThrowIfCancellationRequested();
                    status[i] = "running";
                    string result = RunPoint(grid[i], configs[i], Path.Combine(folder, grid[i].FolderName), p =>
                    {
                        progress[i] = p;
                        if (worker) Console.WriteLine(SweepWorkers.ProgressLine(p));
                    }, cancellation);
                    Finished(i, result);
                    if (result == "interrupted") throw new OperationCanceledException();
                }
            }
            catch (OperationCanceledException)
            {
                if (!worker) Console.Error.WriteLine("sweep: interrupted; run it again to resume the unfinished points");
                return 130;
            }
            finally { TorchSharp.torch.set_num_threads(previousThreads); }
        }
        if (options.GetValue(Index) is null) Console.Write(Collect(folder));
        return status.Values.All(s => s == "finished" || s == "already finished") ? 0 : 1;
    }

    /// <summary>The sweep's options as given (a response file's too), without --parallel, --threads and --index: a worker runs one point with its own.</summary>
    static List<string> WorkerArguments(ParseResult options) =>
        options.Given().Where(g => g.Option != Parallel && g.Option != Threads && g.Option != Index)
            .SelectMany(g => g.Tokens.Count == 0 ? [g.Option.Name] : g.Tokens.SelectMany(t => new[] { g.Option.Name, t.Value }))
            .ToList();

    /// <summary>A point's configuration, read by 'train''s own options: a bad value is the sentence 'train' would print.</summary>
    static TrainingConfig ConfigOf(SweepPoint point, bool fullBatch)
    {
        var args = point.Values.SelectMany(v => new[] { "--" + v.Option, v.Value }).ToList();
        if (fullBatch) args.Add(TrainCommand.FullBatch.Name);
        var parsed = TrainCommand.Command.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0) throw new UsageException(ParseFailure.Sentence(parsed));
        return TrainCommand.ConfigOf(parsed);
    }

    static string RunPoint(SweepPoint point, TrainingConfig config, string folder, Action<TrainingProgress> report, CancellationToken cancellation)
    {
        try
        {
            using var runLock = RunLock.Acquire(folder);
            bool resume = Checkpoint.Exists(folder);
            if (resume && File.Exists(Path.Combine(folder, Trainer.FinalParametersFile))
                && MetricsSink.ReadCsv(Path.Combine(folder, MetricsSink.CsvFile)).Rows.LastOrDefault()?.Step >= config.Steps)
                return "already finished";
            using var session = TrainingSetup.Create(resume ? RunConfigFile.Read(folder) : config);
            if (!resume) RunConfigFile.Write(folder, config, (session.Learner as TorchLearner)?.GradientCheck);
            var result = Trainer.Run(session, folder, resume, new Sink(report), cancellation);
            return result.Interrupted ? "interrupted" : "finished";
        }
        catch (DivergenceException e) { return e.Message; }
        catch (Exception e) when (e is ArgumentException or DataFormatException or IOException) { return "error: " + e.Message; }
    }

    static string Describe(int[] selected, ConcurrentDictionary<int, string> status, ConcurrentDictionary<int, TrainingProgress> progress)
    {
        int done = selected.Count(i => status.TryGetValue(i, out var s) && s != "running");
        var running = selected.Where(i => status.TryGetValue(i, out var s) && s == "running")
            .Select(i => progress.TryGetValue(i, out var p) ? $"run-{i:D3} {100.0 * p.Step / Math.Max(1, p.TotalSteps):F0}%" : $"run-{i:D3} starting");
        return $"{done}/{selected.Length} done; " + string.Join(", ", running);
    }

    /// <summary>Merges the runs of a sweep folder into summary.csv (one row per point: the varied options, status, final metrics).</summary>
    public static string Collect(string folder)
    {
        var gridPath = Path.Combine(folder, GridFile);
        if (!File.Exists(gridPath)) throw new DataFormatException(gridPath, "not found: is this a sweep folder?");
        var axes = JsonDocument.Parse(File.ReadAllText(gridPath)).RootElement.GetProperty("axes").EnumerateObject()
            .Select(p => (p.Name, p.Value.EnumerateArray().Select(v => v.GetString()!).ToArray())).ToList();
        var grid = new SweepGrid(axes.Select(a => (a.Name, string.Join(a.Name is "model" or "data" or "lr-decay" ? ";" : ",", a.Item2))).ToList());
        var varied = grid.Varied.ToList();
        string[] metrics = ["train_loss", "train_accuracy", "test_loss", "test_accuracy", "grad_norm", "elapsed_s"];
        var text = new StringBuilder(string.Join(",", ["index", .. varied, "status", "step", .. metrics])).Append('\n');
        foreach (var point in grid.Points)
        {
            var runFolder = Path.Combine(folder, point.FolderName);
            var metricsPath = Path.Combine(runFolder, MetricsSink.CsvFile);
            var last = File.Exists(metricsPath) ? MetricsSink.ReadCsv(metricsPath).Rows.LastOrDefault() : null;
            string state = File.Exists(Path.Combine(runFolder, Trainer.FinalParametersFile)) ? "finished" : last is null ? "not run" : "unfinished";
            var cells = new List<string> { point.Index.ToString(CultureInfo.InvariantCulture) };
            cells.AddRange(varied.Select(v => Quote(point.Values.First(x => x.Option == v).Value)));
            cells.Add(state);
            cells.Add(last?.Step.ToString(CultureInfo.InvariantCulture) ?? "");
            cells.AddRange(metrics.Select(m => last?[m] is double x ? x.ToString("R", CultureInfo.InvariantCulture) : ""));
            text.Append(string.Join(",", cells)).Append('\n');
        }
        AtomicFile.WriteAllText(Path.Combine(folder, "summary.csv"), text.ToString());
        return text.ToString();
    }

    static string Quote(string cell) => cell.Contains(',') ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;

    sealed class Sink(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
