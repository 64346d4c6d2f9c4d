using System.CommandLine;
using System.Globalization;
using LabelNoise.Cli.CommandLine;
using LabelNoise.Cli.Display;
using LabelNoise.Training;

namespace LabelNoise.Cli.Commands;

/// <summary>labelnoise train: Algorithm 1 on a model and data set, with metrics, checkpoints and resume.</summary>
public static class TrainCommand
{
    static readonly TrainingConfig Defaults = new();

    /// <summary>What the shell offers for --model, --data, --noise; the allowed --scaling and --backend (measure's too).</summary>
    internal static readonly string[] ModelForms = ["linear", "quadratic", "mlp:", "cnn", "resnet18", "torchscript:"];
    internal static readonly string[] DataForms = ["fashion-mnist", "fashion-mnist:", "mnist:", "cifar10:", "sparse", "sparse:", "tensors:"];
    internal static readonly string[] NoiseForms = ["none", "pm:", "gauss:", "flip:", "smooth:"];
    internal static readonly string[] Scalings = ["unit", "standard", "raw"];
    internal static readonly string[] Backends = ["auto", "hand", "torch"];

    public static readonly Option<string> Model = CliOptions.Text("--model", "M",
        "linear | quadratic | mlp:W1,W2,...[,relu|gelu|tanh] | cnn[:width] | resnet18 | torchscript:FILE.pt (your own PyTorch module)", completions: ModelForms);
    public static readonly Option<string> Data = CliOptions.Text("--data", "D",
        "fashion-mnist | fashion-mnist:DIR | mnist:DIR | cifar10:DIR | FILE.csv | sparse:d=100,n=40,r=5,seed=1 | tensors:FILE.pt (torch.save of {x, y})",
        completions: DataForms);
    public static readonly Option<string> Noise = CliOptions.Text("--noise", "N", "none | pm:σ (±σ, the paper's) | gauss:σ | flip:p | smooth:p",
        Defaults.Noise, NoiseForms);
    public static readonly Option<double> LearningRate = CliOptions.Number("--lr", "η", "learning rate", Defaults.LearningRate);
    public static readonly Option<string> LrDecay = CliOptions.Text("--lr-decay", "SCHEDULE", "multiply the learning rate at steps, e.g. 100000:0.1,200000:0.1");
    public static readonly Option<int> Batch = CliOptions.Count("--batch", "B", "batch size, drawn with replacement", Defaults.BatchSize);
    public static readonly Option<long> Steps = CliOptions.WholeNumber("--steps", "T", "number of steps", Defaults.Steps);
    public static readonly Option<double> Momentum = CliOptions.Number("--momentum", "β", "heavy-ball momentum in [0, 1)", Defaults.Momentum);
    public static readonly Option<bool> FullBatch = CliOptions.Switch("--full-batch", "gradient descent on the whole training set (no noise, no sampling)");
    public static readonly Option<ulong> Seed = CliOptions.Seed("--seed", "seed of initialization, sampling and noise", Defaults.Seed);
    public static readonly Option<string> Init = CliOptions.Text("--init", "FILE|DIR", "start from a flat parameter file, a TorchSharp state dict (*.dat), a PyTorch state_dict (*.pt) or a run folder");
    public static readonly Option<int?> TrainSize = CliOptions.OptionalCount("--train-size", "n", "class-balanced training subset of n examples");
    public static readonly Option<int?> TestSize = CliOptions.OptionalCount("--test-size", "n", "class-balanced test subset of n examples");
    public static readonly Option<string> Scaling = CliOptions.Choice("--scaling", "pixel scaling: unit (byte/255), standard or raw", Defaults.Scaling, Scalings);
    public static readonly Option<string> Backend = CliOptions.Choice("--backend", "auto takes the hand-written path where the model has one (linear, quadratic)",
        Defaults.Backend, Backends);
    public static readonly Option<long> EvalEvery = CliOptions.WholeNumber("--eval-every", "k", "metrics every k steps", Defaults.EvalEvery);
    public static readonly Option<long> TrajectoryEvery = CliOptions.WholeNumber("--trajectory-every", "k", "write all parameters every k steps to DIR/trajectory.csv (0: never)",
        Defaults.TrajectoryEvery);
    public static readonly Option<long> CheckpointEvery = CliOptions.WholeNumber("--checkpoint-every", "k", "checkpoint every k steps (0: every --checkpoint-minutes instead)",
        Defaults.CheckpointEvery);
    public static readonly Option<double> CheckpointMinutes = CliOptions.Number("--checkpoint-minutes", "m", "checkpoint every m minutes when --checkpoint-every is 0",
        Defaults.CheckpointMinutes);
    public static readonly Option<string> Out = CliOptions.Text("--out", "DIR", "run folder (default runs/train-<time>)");
    public static readonly Option<string> Resume = CliOptions.Text("--resume", "DIR", "continue an interrupted run exactly (with --steps T: to T steps)");

    /// <summary>The options that make a <see cref="TrainingConfig"/>: what a sweep varies.</summary>
    public static readonly IReadOnlyList<Option> ConfigOptions =
    [
        Model, Data, Noise, LearningRate, LrDecay, Batch, Steps, Momentum, FullBatch, Seed, Init, TrainSize, TestSize,
        Scaling, Backend, EvalEvery, TrajectoryEvery, CheckpointEvery, CheckpointMinutes,
    ];

    public static readonly Command Command = Declare();

    static Command Declare()
    {
        var command = new DocumentedCommand("train", "run Algorithm 1 (label-noise SGD) on a model and data set", """
            labelnoise train --model M --data D [options]   SGD with label noise (Algorithm 1)
            labelnoise train --resume DIR [--steps T]        continue an interrupted run exactly

            Writes DIR/config.json, DIR/metrics.csv, DIR/metrics.jsonl, DIR/tensorboard/, DIR/checkpoint/,
            and DIR/final-params.txt (one number per line) for models up to 2 million parameters.
            """);
        foreach (var option in ConfigOptions) command.Add(option);
        command.Add(Out);
        command.Add(Resume);
        command.SetAction((result, cancellation) => Task.FromResult(Run(result, cancellation)));
        return command;
    }

    public static int Run(ParseResult options, CancellationToken cancellation)
    {
        bool resume = options.GetValue(Resume) is not null;
        string folder;
        TrainingConfig config;
        if (resume)
        {
            folder = options.GetValue(Resume)!;
            var extra = options.Given().Select(g => g.Option).Where(o => o != Resume && o != Steps).ToList();
            if (extra.Count > 0) throw new UsageException($"--resume continues a run with its saved configuration; only --steps may be given with it, not {extra[0].Name}");
            if (RunLock.IsHeld(folder)) throw new RunFolderInUseException(folder);
            if (!Checkpoint.Exists(folder)) throw new UsageException($"{folder} has no checkpoint to resume from");
            config = RunConfigFile.Read(folder);
            if (options.IsGiven(Steps)) config = config with { Steps = options.GetValue(Steps) };
        }
        else
        {
            foreach (var required in new[] { Model, Data })
                if (options.GetValue(required) is null) throw new UsageException($"'train' needs {required.Name} (see 'labelnoise train --help')");
            config = ConfigOf(options);
            folder = options.GetValue(Out) ?? Path.Combine("runs", "train-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            if (RunLock.IsHeld(folder)) throw new RunFolderInUseException(folder);
            RefuseOccupied(folder);
        }

        using var session = TrainingSetup.Create(config);
        using var runLock = RunLock.Acquire(folder);
        if (resume) Checkpoint.Verify(folder, session); // before anything in the folder changes
        else RefuseOccupied(folder); // again, now that the folder is ours: another process may have started in between
        RunConfigFile.Write(folder, config, (session.Learner as TorchLearner)?.GradientCheck);
        Console.Error.WriteLine($"training {config.Model} on {session.Train.Name} ({session.Train.Count:N0} examples, {session.Learner.ParameterCount:N0} parameters), noise {session.Noise.Spec}, η = {config.LearningRate.ToString(CultureInfo.InvariantCulture)}, B = {config.BatchSize}, {config.Steps:N0} steps → {folder}");
        TrainingResult result;
        try
        {
            result = ProgressDisplay.Run("train", progress => Trainer.Run(session, folder, resume, progress, cancellation));
        }
        catch (IOException e) when (e is not RunFolderInUseException)
        {
            string next = Checkpoint.Exists(folder) ? $"its last checkpoint is intact: continue with 'labelnoise train --resume {folder}' once there is room" : "it has no checkpoint yet";
            throw new IOException($"the run in {folder} stopped because a result could not be written ({e.Message}); {next}", e);
        }
        if (result.Interrupted)
        {
            Console.Error.WriteLine($"interrupted at step {result.Step:N0}; checkpoint saved: continue with 'labelnoise train --resume {folder}'");
            return 130;
        }
        Console.WriteLine($"done: {result.Step:N0} steps in {result.ElapsedSeconds:F1} s ({result.Step / Math.Max(1e-9, result.ElapsedSeconds):N0} steps/s); {Summary(result)}; results in {folder}");
        return 0;
    }

    /// <summary>A new run's folder must hold no run: not one with a checkpoint, not one that died before its first.</summary>
    static void RefuseOccupied(string folder)
    {
        if (Checkpoint.Exists(folder)) throw new UsageException($"{folder} already holds a run: continue it with --resume {folder} or choose another --out");
        if (File.Exists(Path.Combine(folder, RunConfigFile.FileName)))
            throw new UsageException($"{folder} holds a run that stopped before its first checkpoint: delete the folder or choose another --out");
    }

    static string Summary(TrainingResult result) => result.Last is null ? "no metrics" : string.Join(", ",
        new[] { "train_loss", "train_accuracy", "test_accuracy", "grad_norm" }
            .Where(n => result.Last[n] is not null)
            .Select(n => $"{n} = {result.Last[n]!.Value.ToString("G5", CultureInfo.InvariantCulture)}"));

    /// <summary>The training configuration that parsed 'train' options describe (the defaults of <see cref="TrainingConfig"/> where not given).</summary>
    public static TrainingConfig ConfigOf(ParseResult o) => new()
    {
        Model = o.GetValue(Model) ?? Defaults.Model,
        Data = o.GetValue(Data) ?? Defaults.Data,
        Noise = o.GetValue(Noise)!,
        LearningRate = o.GetValue(LearningRate),
        LrDecay = o.GetValue(LrDecay),
        BatchSize = o.GetValue(Batch),
        Steps = o.GetValue(Steps),
        Momentum = o.GetValue(Momentum),
        FullBatch = o.GetValue(FullBatch),
        Seed = o.GetValue(Seed),
        Init = o.GetValue(Init),
        TrainSize = o.GetValue(TrainSize),
        TestSize = o.GetValue(TestSize),
        Scaling = o.GetValue(Scaling)!,
        Backend = o.GetValue(Backend)!,
        EvalEvery = o.GetValue(EvalEvery),
        TrajectoryEvery = o.GetValue(TrajectoryEvery),
        CheckpointEvery = o.GetValue(CheckpointEvery),
        CheckpointMinutes = o.GetValue(CheckpointMinutes),
    };
}
