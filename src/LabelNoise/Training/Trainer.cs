using System.Diagnostics;
using System.Globalization;
using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Noise;
using LabelNoise.Randomness;
using LabelNoise.Files;

namespace LabelNoise.Training;

/// <summary>
/// Algorithm 1 with heavy-ball momentum: each step samples B indices with replacement, draws
/// fresh label noise for each, and takes one SGD step. Batch sampling and noise use two separate
/// generators split from the seed, so that a run with σ = 0 follows plain SGD step for step.
/// Metrics go to one sink every --eval-every steps; checkpoints let an interrupted run resume
/// to exactly the trajectory of an uninterrupted one.
/// </summary>
public static class Trainer
{
    public const string TrajectoryFile = "trajectory.csv";
    public const string FinalParametersFile = ParameterSource.FinalParametersFile;
    const int MaxTrajectoryParameters = 100_000;
    const int MaxParameterFileSize = 2_000_000;
    const int ClockInterval = 64;

    /// <summary>The metric columns of a run on this data.</summary>
    public static string[] Columns(TrainingSession session)
    {
        var columns = new List<string> { "epoch", "learning_rate", "batch_loss", "train_loss" };
        bool classification = session.Train is ClassificationDataset;
        if (classification) columns.Add("train_accuracy");
        if (session.Test is not null)
        {
            columns.Add("test_loss");
            if (classification) columns.Add("test_accuracy");
        }
        columns.Add("grad_norm");
        columns.Add("elapsed_s");
        return columns.ToArray();
    }

    /// <summary>
    /// trajectory.csv (or null): a separate method so that its lambda captures nothing of the training loop — a captured
    /// loop counter lives in a heap object instead of a register (a theory-model run went from 1.5 s to 1.3 s for 10M steps).
    /// </summary>
    static AppendOnlyLog? OpenTrajectory(TrainingConfig config, ILearner learner, string runFolder, bool resume, long resumedAt) =>
        config.TrajectoryEvery > 0
            ? new AppendOnlyLog(Path.Combine(runFolder, TrajectoryFile),
                "step," + string.Join(",", Enumerable.Range(0, learner.ParameterCount).Select(j => $"theta_{j}")),
                resume ? line => long.Parse(line.Split(',')[0], CultureInfo.InvariantCulture) < resumedAt : null)
            : null;

    public static TrainingResult Run(TrainingSession session, string runFolder, bool resume,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        var config = session.Config;
        var learner = session.Learner;
        int count = session.Train.Count;
        if (config.TrajectoryEvery > 0 && learner.ParameterCount > MaxTrajectoryParameters)
            throw new ArgumentException($"--trajectory-every writes every parameter, which suits small models; this one has {learner.ParameterCount:N0}");
        Directory.CreateDirectory(runFolder);

        var generators = RunGenerators.FromSeed(config.Seed);
        var (sampler, noise) = (generators.Sampler, generators.Noise);
        long step = 0, batchLossCount = 0;
        double batchLossSum = 0, elapsedBefore = 0;
        long? lastCheckpoint = null;
        if (resume)
        {
            var state = Checkpoint.Load(runFolder, session);
            (step, batchLossSum, batchLossCount, elapsedBefore) = (state.Step, state.BatchLossSum, state.BatchLossCount, state.ElapsedSeconds);
            sampler = RandomStream.FromState(state.SamplerState);
            noise = RandomStream.FromState(state.NoiseState);
            lastCheckpoint = step;
        }

        // A checkpoint at an evaluation step is saved after that step's row (and after the running batch loss was reset):
        // a resume keeps that row instead of measuring it again with no batches behind it.
        long? rowKept = resume && step % config.EvalEvery == 0 ? step : null;
        using var sink = new MetricsSink(runFolder, Columns(session), resume ? step + (rowKept is null ? 0 : 1) : null);
        using var trajectory = OpenTrajectory(config, learner, runFolder, resume, step);

        var batch = config.FullBatch ? BatchSampler.Full(count) : new int[config.BatchSize];
        BatchTargets? targets = null; // refilled in place by noise models that can
        var clock = Stopwatch.StartNew();
        var lastCheckpointTime = clock.Elapsed;
        double lastReport = double.NegativeInfinity;
        long reportStep = step;
        var reportTime = clock.Elapsed;
        MetricsRow? latest = null;
        double Elapsed() => elapsedBefore + clock.Elapsed.TotalSeconds;
        CheckpointState State() => new(step, sampler.State, noise.State, Elapsed(), batchLossSum, batchLossCount);

        while (true)
        {
            bool regular = step % config.EvalEvery == 0;
            if ((regular || step == config.Steps) && step != rowKept)
            {
                latest = Measure(session, step, batchLossCount > 0 ? batchLossSum / batchLossCount : null, Elapsed());
                sink.Write(latest);
                // The last row of a run cut short by --steps keeps the running batch loss, so a resumed run's rows match.
                if (regular) (batchLossSum, batchLossCount) = (0, 0);
                if (!double.IsFinite(latest["train_loss"]!.Value)) throw new DivergenceException(step, "the training loss", lastCheckpoint);
            }
            if (trajectory is not null && (step % config.TrajectoryEvery == 0 || step == config.Steps))
                trajectory.Append(step.ToString(CultureInfo.InvariantCulture) + "," + string.Join(",", learner.GetParameters().Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
            if (step >= config.Steps) break;

            bool clockCheck = (step & (ClockInterval - 1)) == 0; // reading the clock every step would cost more than a theory-model step
            bool due = config.CheckpointEvery > 0
                ? step % config.CheckpointEvery == 0 && step != lastCheckpoint
                : clockCheck && (clock.Elapsed - lastCheckpointTime).TotalMinutes >= config.CheckpointMinutes;
            if (due || cancellation.IsCancellationRequested)
            {
                Checkpoint.Save(runFolder, State(), session);
                (lastCheckpoint, lastCheckpointTime) = (step, clock.Elapsed);
                if (cancellation.IsCancellationRequested) return new TrainingResult(step, true, latest, Elapsed());
            }

            if (!config.FullBatch) BatchSampler.Fill(batch, count, sampler);
            targets = session.Noise.Perturb(session.Train, batch, noise, targets);
            double loss = learner.Step(batch, targets, session.Schedule.At(step), config.Momentum);
            if (!double.IsFinite(loss)) throw new DivergenceException(step, "the batch loss", lastCheckpoint);
            batchLossSum += loss;
            batchLossCount++;
            step++;

            if (progress is not null && clockCheck && clock.Elapsed.TotalSeconds - lastReport >= 0.25)
            {
                double rate = (step - reportStep) / Math.Max(1e-9, (clock.Elapsed - reportTime).TotalSeconds);
                progress.Report(new TrainingProgress(step, config.Steps, rate, latest));
                (lastReport, reportStep, reportTime) = (clock.Elapsed.TotalSeconds, step, clock.Elapsed);
            }
        }

        Checkpoint.Save(runFolder, State(), session);
        if (learner.ParameterCount <= MaxParameterFileSize)
            ParameterFile.Write(Path.Combine(runFolder, FinalParametersFile), learner.GetParameters());
        progress?.Report(new TrainingProgress(step, config.Steps, 0, latest));
        return new TrainingResult(step, false, latest, Elapsed());
    }

    /// <summary>The metrics row at a step: clean-label loss, accuracy and gradient norm on the training set, test metrics.</summary>
    static MetricsRow Measure(TrainingSession session, long step, double? batchLoss, double elapsed)
    {
        var values = new Dictionary<string, double>
        {
            ["epoch"] = (double)step * (session.Config.FullBatch ? session.Train.Count : session.Config.BatchSize) / session.Train.Count,
            ["learning_rate"] = session.Schedule.At(step),
        };
        if (batchLoss is double b) values["batch_loss"] = b;
        var train = session.Learner.Evaluate(session.Train, withGradient: true);
        values["train_loss"] = train.Loss;
        if (train.Accuracy is double a) values["train_accuracy"] = a;
        if (train.GradientNorm is double g) values["grad_norm"] = g;
        if (session.Test is { } testSet)
        {
            var test = session.Learner.Evaluate(testSet, withGradient: false);
            values["test_loss"] = test.Loss;
            if (test.Accuracy is double t) values["test_accuracy"] = t;
        }
        values["elapsed_s"] = elapsed;
        return new MetricsRow(step, values);
    }
}
