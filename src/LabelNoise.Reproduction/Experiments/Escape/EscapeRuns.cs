using System.Diagnostics;
using LabelNoise.Data;
using LabelNoise.Measurement;
using LabelNoise.Models;
using LabelNoise.Noise;
using LabelNoise.Objectives;
using LabelNoise.Theory;
using LabelNoise.Training;
using LabelNoise.Randomness;
using LabelNoise.Native;

namespace LabelNoise.Experiments;

/// <summary>
/// The escape experiment's machinery (Fig. 3 and 4): the data, Liu et al.'s adversarial data, the
/// two poor zero-loss initializations, and measured runs of label-noise SGD, plain SGD and the
/// smoothed control from them. Everything random comes from generators derived from one seed.
/// Runs share nothing but the (read-only) data, so several may go at once on different threads
/// (<see cref="ParallelRuns"/>): every number passed to TorchSharp is a <see cref="KeptScalar"/>.
/// </summary>
public sealed class EscapeRuns
{
    public EscapeRuns(EscapeSetting setting)
    {
        setting.Validate();
        Setting = setting;
        Spec = ModelSpec.Parse(setting.Model);
        var split = DataSpec.Parse(setting.Data).Load(new DataOptions { TrainSize = setting.TrainSize, TestSize = setting.TestSize, Scaling = setting.Scaling });
        Train = split.Train as ClassificationDataset ?? throw new ArgumentException($"the escape experiment needs a classification data set, not {split.Train.Name}");
        Test = split.Test as ClassificationDataset ?? throw new ArgumentException($"{setting.Data} has no test set");
        int curvature = Math.Min(setting.Curvature.Examples, Train.Count);
        // The class-balanced training subset is in the source's order, so its first examples are a fair sample of it.
        CurvatureSet = Train.Subset(Enumerable.Range(0, curvature).ToArray(), $"{Train.Name}[:{curvature}]");
    }

    public EscapeSetting Setting { get; }
    public ModelSpec Spec { get; }
    public ClassificationDataset Train { get; }
    public ClassificationDataset Test { get; }
    public ClassificationDataset CurvatureSet { get; }

    /// <summary>The independent streams of run number <paramref name="seed"/> of an experiment seeded with <paramref name="experimentSeed"/>; methods that share a seed share its batches.</summary>
    public static RunGenerators RunStreams(ulong experimentSeed, int seed) => RunGenerators.FromSeed(Mix(experimentSeed, 1000 + (ulong)seed));

    static ulong Mix(ulong a, ulong b) => new RandomStream(a * 0x9E3779B97F4A7C15UL ^ b).NextUInt64();

    /// <summary>
    /// A model of <see cref="Spec"/> with its parameters drawn from <paramref name="initialization"/>; its reported loss is L at
    /// <paramref name="flipProbability"/> (default: the setting's p; 0: the clean cross entropy the initializations minimize).
    /// </summary>
    public TorchLearner NewLearner(Dataset train, RandomStream initialization, double? flipProbability = null)
    {
        var built = ModelFactory.Create(Spec, train, "torch", initialization);
        return new TorchLearner(built.Network!, train, flipProbability ?? Setting.FlipProbability, built.DType);
    }

    /// <summary>A model of <see cref="Spec"/> at the given parameters, bound to the training set.</summary>
    public TorchLearner LearnerAt(double[] parameters, double? flipProbability = null)
    {
        var learner = NewLearner(Train, new RandomStream(0), flipProbability);
        learner.SetParameters(parameters);
        return learner;
    }

    // ---------------------------------------------------------------- initializations

    /// <summary>
    /// Full-batch gradient descent on the clean labels from a random initialization until it has converged to a minimizer: the clean
    /// training loss at most <see cref="InitRecipe.MinimizerLoss"/> and the parameters moving by at most <see cref="InitRecipe.MinimizerMovement"/>
    /// of their norm over the last <see cref="InitRecipe.CheckEvery"/> steps (or until its steps run out). The phase records the loss and ‖∇L‖ reached.
    /// </summary>
    public BuiltInit FullBatchInit(InitRecipe recipe, ulong experimentSeed, CancellationToken cancellation = default)
    {
        recipe.Validate();
        var clock = Stopwatch.StartNew();
        using var learner = NewLearner(Train, new RandomStream(Mix(experimentSeed, 1)), flipProbability: 0);
        var all = BatchSampler.Full(Train.Count);
        var targets = CleanTargets.Of(Train, all);
        int steps = 0;
        double loss = learner.Evaluate(Train, false).Loss, movement = double.PositiveInfinity;
        while (!(loss <= recipe.MinimizerLoss && movement <= recipe.MinimizerMovement) && steps < recipe.FullBatch.MaxSteps)
        {
            cancellation.ThrowIfCancellationRequested();
            var before = learner.GetParameters();
            int chunk = Math.Min(recipe.CheckEvery, recipe.FullBatch.MaxSteps - steps);
            for (int k = 0; k < chunk; k++)
                CheckedStep(learner, all, targets, recipe.FullBatch.LearningRate, recipe.FullBatch.Momentum, "full-batch GD", steps + k);
            steps += chunk;
            loss = learner.Evaluate(Train, false).Loss;
            movement = RelativeMovement(before, learner.GetParameters());
            if (Environment.GetEnvironmentVariable("PROBE") == "1" && steps % 100 == 0) Console.Error.WriteLine($"PROBE {steps} loss {loss:G3} move {movement:G3} train {Accuracy(learner, Train):F4} test {Accuracy(learner, Test):F4}");
        }
        var phase = EndOfPhase(learner, EscapeInit.FullBatch, 0, steps, Train, clock) with { Movement = movement };
        return new BuiltInit(EscapeInit.FullBatch, learner.GetParameters(), [phase]);
    }

    /// <summary>‖after − before‖ / ‖after‖.</summary>
    static double RelativeMovement(double[] before, double[] after)
    {
        double change = 0, norm = 0;
        for (int i = 0; i < after.Length; i++)
        {
            change += (after[i] - before[i]) * (after[i] - before[i]);
            norm += after[i] * after[i];
        }
        return Math.Sqrt(change / norm);
    }

    /// <summary>A phase's record: accuracy, clean cross entropy and its gradient's norm on the phase's own training data, test accuracy.</summary>
    InitPhase EndOfPhase(TorchLearner learner, EscapeInit init, int phase, int steps, Dataset data, Stopwatch clock)
    {
        var fit = learner.Evaluate(data, true);
        return new InitPhase(init, phase, steps, fit.Accuracy ?? double.NaN, Accuracy(learner, Test), clock.Elapsed.TotalSeconds)
        {
            Loss = fit.Loss, GradientNorm = fit.GradientNorm ?? double.NaN,
        };
    }

    /// <summary>
    /// Liu et al.'s adversarial initialization: <see cref="Memorize"/>, then <see cref="FitTrueLabels"/>.
    /// </summary>
    public BuiltInit AdversarialInit(InitRecipe recipe, ulong experimentSeed, CancellationToken cancellation = default) =>
        FitTrueLabels(Memorize(recipe, experimentSeed, cancellation), recipe, experimentSeed, cancellation);

    /// <summary>
    /// Phase 1 of the adversarial initialization: from a random initialization, memorize <see cref="InitRecipe.AdversarialCopies"/>
    /// copies of the training set with pixels zeroed and uniformly random labels (heavy-ball SGD), until the accuracy on
    /// those labels reaches <see cref="InitRecipe.MemorizeTargetAccuracy"/> or <see cref="InitRecipe.Memorize"/>'s steps pass.
    /// </summary>
    public BuiltInit Memorize(InitRecipe recipe, ulong experimentSeed, CancellationToken cancellation = default)
    {
        recipe.Validate();
        var root = new RandomStream(Mix(experimentSeed, 2));
        var dataGenerator = root.Split();
        var modelGenerator = root.Split();
        var sampler = root.Split();
        var clock = Stopwatch.StartNew();
        var adversarial = AdversarialData.Build(Train, recipe.AdversarialCopies, recipe.ZeroFraction, dataGenerator);
        using var learner = NewLearner(adversarial, modelGenerator, flipProbability: 0);
        int steps = 0;
        double accuracy = Accuracy(learner, adversarial);
        while (accuracy < recipe.MemorizeTargetAccuracy && steps < recipe.Memorize.MaxSteps)
        {
            int chunk = Math.Min(recipe.MemorizeCheckEvery, recipe.Memorize.MaxSteps - steps);
            for (int k = 0; k < chunk; k++)
            {
                cancellation.ThrowIfCancellationRequested();
                var batch = BatchSampler.WithReplacement(adversarial.Count, recipe.Memorize.BatchSize, sampler);
                CheckedStep(learner, batch, CleanTargets.Of(adversarial, batch), recipe.Memorize.LearningRate, recipe.Memorize.Momentum, "memorization", steps + k);
            }
            steps += chunk;
            accuracy = Accuracy(learner, adversarial);
        }
        var phase = EndOfPhase(learner, EscapeInit.Adversarial, 1, steps, adversarial, clock);
        return new BuiltInit(EscapeInit.Adversarial, learner.GetParameters(), [phase]);
    }

    /// <summary>
    /// Phases 2 and 3 of the adversarial initialization: from the memorized point, plain SGD on the true labels
    /// until 100 % training accuracy, then <see cref="InitRecipe.Polish"/>'s steps of plain SGD steps so that the
    /// point is one that plain SGD itself does not leave.
    /// </summary>
    public BuiltInit FitTrueLabels(BuiltInit memorized, InitRecipe recipe, ulong experimentSeed, CancellationToken cancellation = default)
    {
        recipe.Validate();
        var sampler = new RandomStream(Mix(experimentSeed, 3));
        var phases = memorized.Phases.ToList();
        var clock = Stopwatch.StartNew();
        using var learner = LearnerAt(memorized.Parameters, flipProbability: 0);
        int steps = 0;
        double accuracy = Accuracy(learner, Train);
        while (accuracy < 1 && steps < recipe.Fit.MaxSteps)
        {
            int chunk = Math.Min(recipe.CheckEvery, recipe.Fit.MaxSteps - steps);
            SgdSteps(learner, chunk, recipe.Fit, sampler, cancellation);
            steps += chunk;
            accuracy = Accuracy(learner, Train);
        }
        phases.Add(EndOfPhase(learner, EscapeInit.Adversarial, 2, steps, Train, clock));
        clock.Restart();
        SgdSteps(learner, recipe.Polish.MaxSteps, recipe.Polish, sampler, cancellation);
        phases.Add(EndOfPhase(learner, EscapeInit.Adversarial, 3, recipe.Polish.MaxSteps, Train, clock));
        return new BuiltInit(EscapeInit.Adversarial, learner.GetParameters(), phases);
    }

    void SgdSteps(TorchLearner learner, int steps, SgdPhase phase, RandomStream sampler, CancellationToken cancellation)
    {
        for (int k = 0; k < steps; k++)
        {
            cancellation.ThrowIfCancellationRequested();
            var batch = BatchSampler.WithReplacement(Train.Count, phase.BatchSize, sampler);
            CheckedStep(learner, batch, CleanTargets.Of(Train, batch), phase.LearningRate, phase.Momentum, "fitting the true labels", k);
        }
    }

    static void CheckedStep(TorchLearner learner, int[] batch, BatchTargets targets, double learningRate, double momentum, string what, long step = -1)
    {
        double loss = learner.Step(batch, targets, learningRate, momentum);
        if (!double.IsFinite(loss))
            throw new DivergenceException(step, $"the batch loss of {what} at η = {learningRate}, β = {momentum}", null);
    }

    static double Accuracy(TorchLearner learner, Dataset data) => learner.Evaluate(data, false).Accuracy ?? double.NaN;

    // ---------------------------------------------------------------- runs

    /// <summary>The label model of a method at flip probability <paramref name="flipProbability"/>.</summary>
    public static ILabelNoise NoiseOf(EscapeMethod method, double flipProbability) => method switch
    {
        EscapeMethod.Sgd => new NoLabelNoise(),
        EscapeMethod.LabelNoise => new LabelFlipNoise(flipProbability),
        EscapeMethod.Smoothed => new LabelSmoothing(flipProbability),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown method"),
    };

    /// <summary>
    /// Runs <paramref name="run"/> from <paramref name="start"/> (null: a random initialization from the run's
    /// model stream) and measures it at step 0 and <see cref="RunRecipe.Evaluations"/> equally spaced steps
    /// (with <see cref="RunRecipe.EmaDecay"/> &gt; 0, also the test accuracy of the parameters' moving average).
    /// <paramref name="flipProbability"/> overrides the setting's p of the run's labels (not of the measured L).
    /// </summary>
    public IReadOnlyList<CurvePoint> Run(RunRecipe run, double[]? start, ulong experimentSeed, double? flipProbability = null,
        CancellationToken cancellation = default, Action<double[]>? finalParameters = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Steps < 0) throw new ArgumentOutOfRangeException(nameof(run), run.Steps, "steps must be ≥ 0");
        if (run.Evaluations < 1) throw new ArgumentOutOfRangeException(nameof(run), run.Evaluations, "at least one evaluation");
        if (!(run.EmaDecay >= 0 && run.EmaDecay < 1)) throw new ArgumentOutOfRangeException(nameof(run), run.EmaDecay, "the moving average's decay must lie in [0, 1)");
        if (!(run.AnnealFraction >= 0 && run.AnnealFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(run), run.AnnealFraction, "the annealed fraction must lie in [0, 1]");
        if (!(run.AnnealFactor > 0)) throw new ArgumentOutOfRangeException(nameof(run), run.AnnealFactor, "the annealing factor must be positive");
        if (run.CurvatureEvery < 1 || (run.MeasureCurvature && run.Evaluations % run.CurvatureEvery != 0))
            throw new ArgumentOutOfRangeException(nameof(run), run.CurvatureEvery, "curvature's cadence must divide the number of measured points");
        var schedule = run.Schedule;
        var streams = RunStreams(experimentSeed, run.Seed);
        var measure = new RandomStream(Mix(experimentSeed, 5000 + (ulong)run.Seed * 16 + (ulong)run.Method * 4 + (ulong)run.Init));
        using var learner = start is null ? NewLearner(Train, streams.Model) : LearnerAt(start);
        using var average = run.EmaDecay > 0 ? new ParameterAverage(learner, run.EmaDecay) : null;
        var noise = NoiseOf(run.Method, flipProbability ?? Setting.FlipProbability);
        var points = new List<CurvePoint> { Measure(learner, run, measure, average) };
        int done = 0;
        for (int e = 1; e <= run.Evaluations; e++)
        {
            int until = (int)((long)run.Steps * e / run.Evaluations);
            for (; done < until; done++)
            {
                cancellation.ThrowIfCancellationRequested();
                var batch = BatchSampler.WithReplacement(Train.Count, Setting.BatchSize, streams.Sampler);
                CheckedStep(learner, batch, noise.Perturb(Train, batch, streams.Noise), schedule.At(done), run.Momentum, $"{run.Method} from {run.Init}", done);
                average?.Update();
            }
            points.Add(Measure(learner, run, measure, average, curvature: e % run.CurvatureEvery == 0) with { Step = done });
        }
        finalParameters?.Invoke(learner.GetParameters());
        return points;
    }

    /// <summary>
    /// Accuracies (and the averaged iterate's test accuracy), L, tr ∇²L and R (<see cref="CurvatureMeasurer"/> with <see cref="CurvatureSettings.Request"/>, R at the run's η and β)
    /// and tr_G at the learner's point; curvature is NaN when the run does not measure it or <paramref name="curvature"/> is false (an accuracy-only point).
    /// </summary>
    public CurvePoint Measure(TorchLearner learner, RunRecipe run, RandomStream generator, ParameterAverage? average = null, bool curvature = true)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(run);
        var train = learner.Evaluate(Train, false);
        double test = Accuracy(learner, Test);
        double averaged = average is null ? double.NaN : average.Evaluate(() => Accuracy(learner, Test));
        if (!run.MeasureCurvature || !curvature)
            return new CurvePoint(0, train.Accuracy ?? double.NaN, test, averaged, train.Loss, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        CurvatureResult measured;
        using (var objective = new TorchObjective(learner.Model, CurvatureSet, Setting.FlipProbability))
            measured = CurvatureMeasurer.Measure(objective, Setting.Curvature.Request(new RegularizerSettings(run.LearningRate, run.Momentum)), generator.Split());
        var (trace, regularizer) = (measured.Trace!, measured.Regularizer!);
        var proxy = NoiseTraceProxy.Estimate(learner, Train, new LabelFlipNoise(Setting.FlipProbability), Setting.BatchSize, Setting.ProxyBatches, generator.Split());
        return new CurvePoint(0, train.Accuracy ?? double.NaN, test, averaged, train.Loss, trace.Estimate, trace.StandardError,
            regularizer.Estimate, regularizer.StandardError, measured.LargestEigenvalue ?? double.NaN, proxy.Estimate, proxy.StandardError);
    }
}
