using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabelNoise.Cli.CommandLine;
using LabelNoise.Curvature;
using LabelNoise.Data;
using LabelNoise.Measurement;
using LabelNoise.Models;
using LabelNoise.Noise;
using LabelNoise.Objectives;
using LabelNoise.Reporting;
using LabelNoise.Training;
using Spectre.Console;

namespace LabelNoise.Cli.Commands;

/// <summary>labelnoise measure: the theory's quantities at one parameter point.</summary>
public static class MeasureCommand
{
    public const string Help = """
        labelnoise measure --model M --data D (--params FILE | --checkpoint DIR) --eta η --sigma σ --batch B [options]
        labelnoise measure --checkpoint DIR [options]       (model, data, η, σ, B, β taken from the run)

          --params FILE          a flat parameter file, a state dict (*.dat), or a PyTorch state_dict (*.pt)
          --checkpoint DIR       a run folder of 'labelnoise train' (its final or last checkpointed parameters),
                                 or a PyTorch state_dict (*.pt; then as --params, with --model and --data)
          --eta η --sigma σ --batch B [--momentum β]
                                 the hyperparameters of label-noise SGD: λ = ησ²/(B(1−β)), R depends on η and β
          --flip p               classification: L is smoothed cross entropy minus its minimum (default: the run's p, else 0)
          --exact                dense Hessian: exact trace, eigenvalues, R, ∇R (models up to 4,000 parameters)
          --probes N             the budget: at most N products for the trace and N probes for R (and the per-block
                                 and Gauss–Newton traces when they are not exact) (default 20)
          --rse r                stop once the relative standard error is below r (within the --probes budget)
          --lanczos-steps m      Lanczos steps for λ_max and for each SLQ probe (default 30)
          --deflate k            R's probes are deflated by the top k Ritz vectors of the λ_max run (default 10);
                                 also Hutch++'s sketch size
          --estimator E          how tr ∇²L and R are estimated: auto (default: tr ∇²L exactly for a ReLU MLP, else
                                 adaptively deflated probes; R = tr ∇²L/4 + deflated SLQ on the small rest),
                                 hutchinson | slq (plain probes, what PyHessian does), hutch++, xtrace, deflated-slq
          --seed s               seed of the probes (default 0)
          --density FILE.csv     also write the Hessian's spectral density (SLQ, Gaussian-broadened): columns eigenvalue, density
          --bandwidth b          the density's Gaussian width (default 1 % of the spectrum's range)
          --train-size n         the run's class-balanced training subset; --eval-size n measures on n of its examples
          --json                 print one JSON object (keys: loss, grad_norm, trace, top_eigenvalue, gauss_newton_trace,
                                 regularizer, lambda, regularized_loss, ... and <key>_stderr for estimates)
        """;

    static readonly string[] ValueOptions =
    [
        "model", "data", "params", "checkpoint", "eta", "sigma", "batch", "momentum", "flip", "probes", "rse", "lanczos-steps",
        "seed", "train-size", "eval-size", "scaling", "backend", "deflate", "density", "bandwidth", "estimator",
    ];

    public static int Run(string[] args)
    {
        var o = new OptionReader("measure", args, ValueOptions, ["exact", "json"]);
        if (o.Positional.Count > 0) throw new UsageException($"'measure' takes only options, not '{o.Positional[0]}'");
        if (o.Has("params") && o.Has("checkpoint")) throw new UsageException("give either --params or --checkpoint, not both");
        var run = o.String("checkpoint") is { } folder && !PyTorchStateDict.IsPyTorchFile(folder) ? RunConfigFile.Read(folder) : null;
        string model = o.String("model") ?? run?.Model ?? throw new UsageException("'measure' needs --model (or --checkpoint of a run)");
        string dataSpec = o.String("data") ?? run?.Data ?? throw new UsageException("'measure' needs --data (or --checkpoint of a run)");
        var runNoise = run is null ? null : NoiseSpec.Parse(run.Noise);
        double runFlip = runNoise switch { LabelFlipNoise f => f.FlipProbability, LabelSmoothing s => s.FlipProbability, _ => 0 };
        double runSigma = runNoise switch { PlusMinusNoise p => p.NoiseStdDev, GaussianNoise g => g.NoiseStdDev, _ => 1 };
        if (run is null)
            foreach (var required in new[] { "eta", "batch" })
                if (!o.Has(required)) throw new UsageException($"'measure' needs --{required} (R and λ depend on it), or --checkpoint of a run");

        var settings = new MeasurementSettings
        {
            LearningRate = o.Double("eta", run?.LearningRate ?? 0),
            NoiseStdDev = o.Double("sigma", runSigma),
            BatchSize = o.Int("batch", run?.BatchSize ?? 0),
            Momentum = o.Double("momentum", run?.Momentum ?? 0),
            Exact = o.Flag("exact"),
            Probes = o.Int("probes", 20),
            TargetRelativeStandardError = o.Has("rse") ? o.Double("rse", 0) : null,
            LanczosSteps = o.Int("lanczos-steps", 30),
            Deflation = o.Int("deflate", 10),
            Seed = o.ULong("seed", 0),
            Estimator = ParseEstimator(o.String("estimator", "auto")),
        };
        settings.Validate();
        double flip = o.Double("flip", runFlip);
        if (!(flip >= 0 && flip < 1)) throw new UsageException($"--flip must lie in [0, 1), not {flip.ToString(CultureInfo.InvariantCulture)}");

        var data = LoadEvaluationSet(dataSpec, o.OptionalInt("train-size") ?? run?.TrainSize, o.OptionalInt("eval-size"), o.String("scaling", run?.Scaling ?? "unit"));
        var built = ModelFactory.Create(ModelSpec.Parse(model), data, o.String("backend", run?.Backend ?? "auto"), RunGenerators.FromSeed(run?.Seed ?? 0).Model);
        var warnings = new List<string>();
        string? source = o.String("params") ?? o.String("checkpoint");
        var values = source is null ? null : ParameterSource.Load(source, ParameterCount(built), built.Network);
        if (source is null) warnings.Add("no --params or --checkpoint: measured at the model's initialization");
        using IObjective objective = built.Hand is not null
            ? new HandObjective(built.Hand, (RegressionDataset)data, values ?? built.Hand.DefaultParameters())
            : new TorchObjective(built.Network!, data, flip);
        if (values is not null && built.Hand is null) objective.SetParameters(values);

        var measurement = PointMeasurer.Measure(objective, settings);
        if (o.String("density") is { } densityFile)
        {
            var density = PointMeasurer.Density(objective, settings, bandwidth: o.Has("bandwidth") ? o.Double("bandwidth", 0) : null);
            var table = new CsvTable("eigenvalue", "density");
            for (int i = 0; i < density.Grid.Length; i++) table.Add(density.Grid[i], density.Density[i]);
            table.Write(densityFile);
        }
        measurement = measurement with { Warnings = [.. warnings, .. measurement.Warnings] };
        if (o.Flag("json")) Console.WriteLine(measurement.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        else PrintTable(measurement, data);
        return 0;
    }

    static TraceEstimator ParseEstimator(string name)
    {
        try { return TraceEstimators.Parse(name); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    internal static int ParameterCount(BuiltModel built) =>
        built.Hand?.ParameterCount ?? (int)built.Network!.parameters().Sum(p => p.numel());

    static Dataset LoadEvaluationSet(string spec, int? trainSize, int? evalSize, string scaling)
    {
        var train = DataSpec.Parse(spec).Load(new DataOptions
        {
            TrainSize = trainSize,
            TestSize = 0,
            Scaling = scaling switch { "standard" => PixelScaling.Standardized, "raw" => PixelScaling.Raw, _ => PixelScaling.UnitInterval },
        }).Train;
        if (evalSize is not int n) return train;
        if (n < 1 || n > train.Count) throw new UsageException($"--eval-size must lie in [1, {train.Count}], not {n}");
        var indices = train is ClassificationDataset c
            ? ClassBalancedSubset.Select(c, n, new Randomness.Generator(0))
            : Enumerable.Range(0, n).ToArray();
        return train.Subset(indices, $"{train.Name}[{n}]");
    }

    static void PrintTable(PointMeasurement m, Dataset data)
    {
        var json = m.ToJson();
        var table = new Table().AddColumn("quantity").AddColumn(new TableColumn("value").RightAligned()).AddColumn(new TableColumn("± standard error").RightAligned());
        table.Title = new TableTitle($"{(m.Exact ? "exact" : "estimated")} at {data.Name}: {m.ParameterCount:N0} parameters, {m.ExampleCount:N0} examples");
        foreach (var (key, value) in json)
        {
            if (key.EndsWith("_stderr", StringComparison.Ordinal) || value is JsonArray || key == "block_traces") continue;
            var error = json[key + "_stderr"]?.ToString() ?? "";
            table.AddRow(Markup.Escape(key), Markup.Escape(value?.ToString() ?? ""), Markup.Escape(error));
        }
        AnsiConsole.Write(table);
        foreach (var (block, trace) in m.BlockTraces)
            AnsiConsole.MarkupLine(Markup.Escape($"  trace of {block}: {PointMeasurement.Show(trace.Value)} ± {PointMeasurement.Show(trace.StandardError ?? 0)}"));
        foreach (var warning in m.Warnings) AnsiConsole.MarkupLine("[yellow]warning:[/] " + Markup.Escape(warning));
    }
}
