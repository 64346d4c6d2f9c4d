using System.Globalization;
using LabelNoise.Cli.CommandLine;
using LabelNoise.Cli.Display;
using LabelNoise.Training;

namespace LabelNoise.Cli.Commands;

/// <summary>labelnoise train: Algorithm 1 on a model and data set, with metrics, checkpoints and resume.</summary>
public static class TrainCommand
{
    public const string Help = """
        labelnoise train --model M --data D [options]   SGD with label noise (Algorithm 1)
        labelnoise train --resume DIR [--steps T]        continue an interrupted run exactly

          --model M              linear | quadratic | mlp:W1,W2,...[,relu|gelu|tanh] | cnn[:width] | resnet18
          --data D               fashion-mnist | fashion-mnist:DIR | mnist:DIR | cifar10:DIR | FILE.csv
                                 | sparse:d=100,n=40,r=5,seed=1
          --noise N              none (default) | pm:σ (±σ, the paper's) | gauss:σ | flip:p | smooth:p
          --lr η                 learning rate (default 0.1); --lr-decay 100000:0.1,200000:0.1 multiplies it at steps
          --batch B              batch size, drawn with replacement (default 32)
          --steps T              number of steps (default 1000)
          --momentum β           heavy-ball momentum in [0, 1) (default 0)
          --full-batch           gradient descent on the whole training set (no noise, no sampling)
          --seed s               seed of initialization, sampling and noise (default 0)
          --init FILE|DIR        start from a flat parameter file, a state dict (*.dat) or a run folder
          --train-size n         class-balanced training subset; --test-size n likewise for the test set
          --scaling S            pixel scaling: unit (default, byte/255) | standard | raw
          --backend B            auto (default) | hand | torch (linear and quadratic have a hand-written path)
          --eval-every k         metrics every k steps (default 100)
          --trajectory-every k   write all parameters every k steps to DIR/trajectory.csv
          --checkpoint-every k   checkpoint every k steps (default: every --checkpoint-minutes, 5)
          --out DIR              run folder (default runs/train-<time>)

        Writes DIR/config.json, DIR/metrics.csv, DIR/metrics.jsonl, DIR/tensorboard/, DIR/checkpoint/,
        and DIR/final-params.txt (one number per line) for models up to 2 million parameters.
        """;

    public static readonly string[] ValueOptions =
    [
        "model", "data", "noise", "lr", "lr-decay", "batch", "steps", "momentum", "seed", "init", "train-size", "test-size",
        "scaling", "backend", "eval-every", "trajectory-every", "checkpoint-every", "checkpoint-minutes", "out", "resume",
    ];

    public static int Run(string[] args, CancellationToken cancellation)
    {
        var options = new OptionReader("train", args, ValueOptions, ["full-batch"]);
        if (options.Positional.Count > 0) throw new UsageException($"'train' takes only options, not '{options.Positional[0]}'");
        bool resume = options.Has("resume");
        string folder;
        TrainingConfig config;
        if (resume)
        {
            folder = options.String("resume")!;
            var extra = options.Given.Where(g => g is not ("resume" or "steps")).ToList();
            if (extra.Count > 0) throw new UsageException($"--resume continues a run with its saved configuration; only --steps may be given with it, not --{extra[0]}");
            if (RunLock.IsHeld(folder)) throw new RunFolderInUseException(folder);
            if (!Checkpoint.Exists(folder)) throw new UsageException($"{folder} has no checkpoint to resume from");
            config = RunConfigFile.Read(folder);
            if (options.Has("steps")) config = config with { Steps = options.Long("steps", config.Steps) };
        }
        else
        {
            foreach (var required in new[] { "model", "data" })
                if (!options.Has(required)) throw new UsageException($"'train' needs --{required} (see 'labelnoise train --help')");
            config = FromOptions(options);
            folder = options.String("out") ?? Path.Combine("runs", "train-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            if (RunLock.IsHeld(folder)) throw new RunFolderInUseException(folder);
            RefuseOccupied(folder);
        }

        using var session = TrainingSetup.Create(config);
        using var runLock = RunLock.Acquire(folder);
        if (resume) Checkpoint.Verify(folder, session); // before anything in the folder changes
        else RefuseOccupied(folder); // again, now that the folder is ours: another process may have started in between
        RunConfigFile.Write(folder, config);
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

    public static TrainingConfig FromOptions(OptionReader o)
    {
        var d = new TrainingConfig();
        return new TrainingConfig
        {
            Model = o.String("model", d.Model),
            Data = o.String("data", d.Data),
            Noise = o.String("noise", d.Noise),
            LearningRate = o.Double("lr", d.LearningRate),
            LrDecay = o.String("lr-decay"),
            BatchSize = o.Int("batch", d.BatchSize),
            Steps = o.Long("steps", d.Steps),
            Momentum = o.Double("momentum", d.Momentum),
            FullBatch = o.Flag("full-batch"),
            Seed = o.ULong("seed", d.Seed),
            Init = o.String("init"),
            TrainSize = o.OptionalInt("train-size"),
            TestSize = o.OptionalInt("test-size"),
            Scaling = o.String("scaling", d.Scaling),
            Backend = o.String("backend", d.Backend),
            EvalEvery = o.Long("eval-every", d.EvalEvery),
            TrajectoryEvery = o.Long("trajectory-every", d.TrajectoryEvery),
            CheckpointEvery = o.Long("checkpoint-every", d.CheckpointEvery),
            CheckpointMinutes = o.Double("checkpoint-minutes", d.CheckpointMinutes),
        };
    }
}
