using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabelNoise.Cli.CommandLine;
using LabelNoise.Cli.Display;
using LabelNoise.Curvature;
using LabelNoise.Data;
using LabelNoise.Measurement;
using LabelNoise.Models;
using LabelNoise.Noise;
using LabelNoise.Objectives;
using LabelNoise.Training;
using Spectre.Console;
using LabelNoise.Files;

namespace LabelNoise.Cli.Commands;

/// <summary>labelnoise measure: the theory's quantities at one parameter point.</summary>
public static class MeasureCommand
{
    public static readonly Option<string> Model = CliOptions.Text("--model", "M", "the model, as for 'train' (default: the run's)", completions: TrainCommand.ModelForms);
    public static readonly Option<string> Data = CliOptions.Text("--data", "D", "the data, as for 'train' (default: the run's)",
        completions: TrainCommand.DataForms);
    public static readonly Option<string> Params = CliOptions.Text("--params", "FILE", "a flat parameter file, a state dict (*.dat), or a PyTorch state_dict (*.pt)");
    public static readonly Option<string> Checkpoint = CliOptions.Text("--checkpoint", "DIR",
        "a run folder of 'labelnoise train' (its final or last checkpointed parameters), or a PyTorch state_dict (*.pt; then as --params, with --model and --data)");
    public static readonly Option<double?> Eta = CliOptions.OptionalNumber("--eta", "η", "label-noise SGD's learning rate: λ = ησ²/(B(1−β)), R depends on η and β (default: the run's)");
    public static readonly Option<double?> Sigma = CliOptions.OptionalNumber("--sigma", "σ", "the label noise's standard deviation (default: the run's, else 1)");
    public static readonly Option<int?> Batch = CliOptions.OptionalCount("--batch", "B", "the batch size (default: the run's)");
    public static readonly Option<double?> Momentum = CliOptions.OptionalNumber("--momentum", "β", "heavy-ball momentum (default: the run's, else 0)");
    public static readonly Option<double?> Flip = CliOptions.OptionalNumber("--flip", "p",
        "classification: L is smoothed cross entropy minus its minimum (default: the run's p, else 0)");
    public static readonly Option<bool> Exact = CliOptions.Switch("--exact", "dense Hessian: exact trace, eigenvalues, R, ∇R (models up to 4,000 parameters)");
    public static readonly Option<int> Probes = CliOptions.Count("--probes", "N",
        "the budget: at most N products for the trace and N probes for R (and the per-block and Gauss–Newton traces when they are not exact)", 20);
    public static readonly Option<double?> Rse = CliOptions.OptionalNumber("--rse", "r", "stop once the relative standard error is below r (within the --probes budget)");
    public static readonly Option<int> LanczosSteps = CliOptions.Count("--lanczos-steps", "m", "Lanczos steps for λ_max and for each SLQ probe", 30);
    public static readonly Option<int> Deflate = CliOptions.Count("--deflate", "k",
        "R's probes are deflated by the top k Ritz vectors of the λ_max run; also Hutch++'s sketch size", 10);
    public static readonly Option<string> Estimator = CliOptions.Choice("--estimator",
        "how tr ∇²L and R are estimated: auto (tr ∇²L exactly for a ReLU MLP, else adaptively deflated probes; R = tr ∇²L/4 + deflated SLQ on the small rest), "
        + "hutchinson | slq (plain probes, what PyHessian does), hutch++, xtrace, deflated-slq", "auto", CurvatureEstimatorNames.Names);
    public static readonly Option<ulong> Seed = CliOptions.Seed("--seed", "seed of the probes", 0);
    public static readonly Option<string> Density = CliOptions.Text("--density", "FILE.csv",
        "also write the Hessian's spectral density (SLQ, Gaussian-broadened): columns eigenvalue, density");
    public static readonly Option<double?> Bandwidth = CliOptions.OptionalNumber("--bandwidth", "b", "the density's Gaussian width (default 1 % of the spectrum's range)");
    public static readonly Option<int?> TrainSize = CliOptions.OptionalCount("--train-size", "n", "the run's class-balanced training subset (default: the run's)");
    public static readonly Option<int?> EvalSize = CliOptions.OptionalCount("--eval-size", "n", "measure on n of its examples");
    public static readonly Option<string> Scaling = CliOptions.Choice("--scaling", "pixel scaling, as for 'train' (default: the run's, else unit)", null, TrainCommand.Scalings);
    public static readonly Option<string> Backend = CliOptions.Choice("--backend", "as for 'train' (default: the run's, else auto)", null, TrainCommand.Backends);
    public static readonly Option<bool> Json = CliOptions.Switch("--json",
        "print one JSON object (keys: loss, grad_norm, trace, top_eigenvalue, gauss_newton_trace, regularizer, lambda, regularized_loss, ... and <key>_stderr for estimates)");

    public static readonly Command Command = Declare();

    static Command Declare()
    {
        var command = new DocumentedCommand("measure", "loss, Hessian trace and spectrum, R(θ), λ, L + λR at a parameter point", """
            labelnoise measure --model M --data D (--params FILE | --checkpoint DIR) --eta η --sigma σ --batch B [options]
            labelnoise measure --checkpoint DIR [options]       (model, data, η, σ, B, β taken from the run)
            """)
        {
            Model, Data, Params, Checkpoint, Eta, Sigma, Batch, Momentum, Flip, Exact, Probes, Rse, LanczosSteps, Deflate, Estimator, Seed,
            Density, Bandwidth, TrainSize, EvalSize, Scaling, Backend, Json,
        };
        command.SetAction(result => Run(result));
        return command;
    }

    public static int Run(ParseResult o)
    {
        if (o.GetValue(Params) is not null && o.GetValue(Checkpoint) is not null) throw new UsageException("give either --params or --checkpoint, not both");
        var run = o.GetValue(Checkpoint) is { } folder && !PyTorchStateDict.IsPyTorchFile(folder) ? RunConfigFile.Read(folder) : null;
        string model = o.GetValue(Model) ?? run?.Model ?? throw new UsageException("'measure' needs --model (or --checkpoint of a run)");
        string dataSpec = o.GetValue(Data) ?? run?.Data ?? throw new UsageException("'measure' needs --data (or --checkpoint of a run)");
        var runNoise = run is null ? null : NoiseSpec.Parse(run.Noise);
        double runFlip = NoiseSpec.FlipProbability(runNoise);
        double runSigma = runNoise switch { PlusMinusNoise p => p.NoiseStdDev, GaussianNoise g => g.NoiseStdDev, _ => 1 };
        if (run is null)
            foreach (var required in new Option[] { Eta, Batch })
                if (!o.IsGiven(required)) throw new UsageException($"'measure' needs {required.Name} (R and λ depend on it), or --checkpoint of a run");

        var settings = new MeasurementSettings
        {
            LearningRate = o.GetValue(Eta) ?? run?.LearningRate ?? 0,
            NoiseStdDev = o.GetValue(Sigma) ?? runSigma,
            BatchSize = o.GetValue(Batch) ?? run?.BatchSize ?? 0,
            Momentum = o.GetValue(Momentum) ?? run?.Momentum ?? 0,
            Exact = o.GetValue(Exact),
            Probes = o.GetValue(Probes),
            TargetRelativeStandardError = o.GetValue(Rse),
            LanczosSteps = o.GetValue(LanczosSteps),
            Deflation = o.GetValue(Deflate),
            Seed = o.GetValue(Seed),
            Estimator = CurvatureEstimatorNames.Parse(o.GetValue(Estimator)!),
        };
        settings.Validate();
        double flip = o.GetValue(Flip) ?? runFlip;
        if (!(flip >= 0 && flip < 1)) throw new UsageException($"--flip must lie in [0, 1), not {flip.ToString(CultureInfo.InvariantCulture)}");

        string? densityFile = o.GetValue(Density);
        if (densityFile is not null && Path.GetDirectoryName(Path.GetFullPath(densityFile)) is { } densityFolder && !Directory.Exists(densityFolder))
            throw new UsageException($"--density {densityFile}: the folder {densityFolder} does not exist");
        var data = LoadEvaluationSet(dataSpec, o.GetValue(TrainSize) ?? run?.TrainSize, o.GetValue(EvalSize), o.GetValue(Scaling) ?? run?.Scaling ?? "unit");
        var built = ModelFactory.Create(ModelSpec.Parse(model), data, o.GetValue(Backend) ?? run?.Backend ?? "auto", RunGenerators.FromSeed(run?.Seed ?? 0).Model);
        var warnings = new List<string>();
        string? source = o.GetValue(Params) ?? o.GetValue(Checkpoint);
        var values = source is null ? null : ParameterSource.Load(source, ParameterCount(built), built.Network);
        if (source is null) warnings.Add("no --params or --checkpoint: measured at the model's initialization");
        warnings.AddRange(Differences(run ?? RunBeside(o.GetValue(Params)), data, flip, o.GetValue(EvalSize)));
        using var objective = ObjectiveFactory.Create(built, data, values, flip);
        if (objective is TorchObjective { GradientCheck.Outcome: GradientCheckOutcome.SwitchedOneDnnOff or GradientCheckOutcome.SwitchedToFloat64 } checkedObjective)
            warnings.Add(checkedObjective.GradientCheck.Sentence);

        var measurement = PointMeasurer.Measure(objective, settings) with { Data = data.Name, LossFunction = ObjectiveFactory.LossName(data, flip) };
        if (densityFile is not null)
        {
            var density = PointMeasurer.Density(objective, settings, bandwidth: o.GetValue(Bandwidth));
            var table = new CsvTable("eigenvalue", "density");
            for (int i = 0; i < density.Grid.Length; i++) table.Add(density.Grid[i], density.Density[i]);
            table.Write(densityFile);
            measurement = measurement with { DensityFile = densityFile };
        }
        measurement = measurement with { Warnings = [.. warnings, .. measurement.Warnings] };
        if (o.GetValue(Json)) Console.WriteLine(measurement.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        else MeasurementTable.Print(measurement);
        return 0;
    }

    /// <summary>The run a parameter file sits in (its folder's config.json), when it sits in one.</summary>
    static TrainingConfig? RunBeside(string? parameters)
    {
        if (parameters is null || Path.GetDirectoryName(Path.GetFullPath(parameters)) is not { } folder) return null;
        try { return File.Exists(Path.Combine(folder, RunConfigFile.FileName)) ? RunConfigFile.Read(folder) : null; }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or ArgumentException) { return null; }
    }

    /// <summary>Where the measured data or loss differ from what the parameters were trained with (when that is known), one sentence each.</summary>
    static IEnumerable<string> Differences(TrainingConfig? run, Dataset data, double flip, int? evalSize)
    {
        if (run is null) yield break;
        if (run.TrainSize is int trained && data.Count != trained && evalSize is null)
            yield return $"the parameters were trained on {trained:N0} examples of {run.Data}; this measures L over {data.Count:N0} ({data.Name})";
        double runFlip = NoiseSpec.FlipProbability(NoiseSpec.Parse(run.Noise));
        if (data is ClassificationDataset && runFlip != flip)
            yield return string.Create(CultureInfo.InvariantCulture,
                $"the parameters were trained with label noise {run.Noise} (flip p = {runFlip}); this measures the loss with p = {flip} (--flip {runFlip} measures the run's smoothed loss)");
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
            ? ClassBalancedSubset.Select(c, n, new Randomness.RandomStream(0))
            : Enumerable.Range(0, n).ToArray();
        return train.Subset(indices, $"{train.Name}[{n}]");
    }
}
