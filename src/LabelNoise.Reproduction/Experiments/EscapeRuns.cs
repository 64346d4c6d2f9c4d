using System.Diagnostics;
using LabelNoise.Curvature;
using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Noise;
using LabelNoise.Objectives;
using LabelNoise.Theory;
using LabelNoise.Training;
using Generator = LabelNoise.Randomness.Generator;
using LabelNoise.Native;
using LabelNoise.Files;
using LabelNoise.Figures;

namespace LabelNoise.Experiments;

/// <summary>Where an escape run starts (the code is what the CSV files store in their <c>init</c> column).</summary>
public enum EscapeInit
{
    /// <summary>A fresh random initialization (the minibatch-SGD baseline).</summary>
    Random = 0,

    /// <summary>Full-batch gradient descent from a random initialization to 100 % training accuracy.</summary>
    FullBatch = 1,

    /// <summary>Liu et al.'s adversarial initialization: memorize random labels on zeroed copies, then fit the true labels.</summary>
    Adversarial = 2,
}

/// <summary>What a run does at every step (the code is what the CSV files store in their <c>method</c> column).</summary>
public enum EscapeMethod
{
    /// <summary>Plain minibatch SGD on the clean labels.</summary>
    Sgd = 0,

    /// <summary>Label-noise SGD: every sampled label flipped with probability p (Algorithm 1 for classification).</summary>
    LabelNoise = 1,

    /// <summary>The control: the expected flipped target (label smoothing at p), no sampled noise.</summary>
    Smoothed = 2,
}

/// <summary>The data, model and measurement settings shared by every run of an escape experiment (defaults: the laptop setting).</summary>
public sealed record EscapeSetting
{
    /// <summary>A <see cref="DataSpec"/> (fashion-mnist, cifar10:DIR, …).</summary>
    public string Data { get; init; } = "fashion-mnist";

    /// <summary>Class-balanced training examples (null: all).</summary>
    public int? TrainSize { get; init; } = 4000;

    /// <summary>Class-balanced test examples (null: all).</summary>
    public int? TestSize { get; init; } = 10000;

    /// <summary>How pixels are scaled (standardized: zero mean and unit variance over the training set, as the reference PyTorch run).</summary>
    public PixelScaling Scaling { get; init; } = PixelScaling.Standardized;

    /// <summary>
    /// A <see cref="ModelSpec"/> (mlp:W1,W2 | cnn | resnet18). The laptop default is 784-256-256-10: a step costs 2.6× less than
    /// 784-512-512-10's (the reference PyTorch run's; 2.7 against 7.0 ms at B = 32 on one thread), and the escape is larger (measured, one seed each, 20,000 steps: from its
    /// adversarial init at 75.0 % label noise gains 4.6 points over the init and 4.3 over plain SGD; 512-512: 3.2 and 2.6 from 79.1 %).
    /// </summary>
    public string Model { get; init; } = "mlp:256,256";

    /// <summary>p: of label flipping, of the smoothed control, and of the smoothed loss L that every curvature number measures.</summary>
    public double FlipProbability { get; init; } = 0.2;

    /// <summary>B of the escape runs (drawn with replacement, Algorithm 1).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>How tr ∇²L and R are measured.</summary>
    public CurvatureSettings Curvature { get; init; } = new();

    /// <summary>Batches of the tr_G proxy (official code's B·(E‖noisy grad‖² − E‖clean grad‖²)).</summary>
    public int ProxyBatches { get; init; } = 8;

    public void Validate()
    {
        DataSpec.Parse(Data);
        ModelSpec.Parse(Model);
        if (TrainSize is < 1) throw new ArgumentOutOfRangeException(nameof(TrainSize), TrainSize, "the training set needs at least one example");
        if (TestSize is < 1) throw new ArgumentOutOfRangeException(nameof(TestSize), TestSize, "the test set needs at least one example");
        if (!(FlipProbability > 0 && FlipProbability < 1)) throw new ArgumentOutOfRangeException(nameof(FlipProbability), FlipProbability, "p must lie in (0, 1)");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "B must be ≥ 1");
        if (ProxyBatches < 2) throw new ArgumentOutOfRangeException(nameof(ProxyBatches), ProxyBatches, "a standard error needs at least 2 batches");
        Curvature.Validate();
    }
}

/// <summary>How heavy-ball SGD runs one phase of building an initialization.</summary>
public sealed record SgdPhase
{
    public required double LearningRate { get; init; }
    public double Momentum { get; init; }
    public required int BatchSize { get; init; }

    /// <summary>Give up (and record what was reached) after this many steps; the polishing phase always takes them all.</summary>
    public required int MaxSteps { get; init; }

    public void Validate(string name)
    {
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(name, LearningRate, $"η of {name} must be positive");
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentOutOfRangeException(name, Momentum, $"β of {name} must be in [0, 1)");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(name, BatchSize, $"B of {name} must be ≥ 1");
        if (MaxSteps < 0) throw new ArgumentOutOfRangeException(name, MaxSteps, $"the steps of {name} must be ≥ 0");
    }
}

/// <summary>
/// How the two poor zero-loss initializations are built (defaults: the laptop recipe, after the reference PyTorch run:
/// memorize 10 zeroed random-label copies with η 0.05, β 0.9, B 128 to 90 %, fit the true labels with η 0.01, polish with plain SGD).
/// </summary>
public sealed record InitRecipe
{
    /// <summary>Full-batch gradient descent (clean cross entropy) from a random initialization; <see cref="SgdPhase.BatchSize"/> is ignored.</summary>
    public SgdPhase FullBatch { get; init; } = new() { LearningRate = 0.2, Momentum = 0.9, BatchSize = 1, MaxSteps = 2_000 };

    /// <summary>Copies of the training set in the memorization set (Liu et al.: 10).</summary>
    public int AdversarialCopies { get; init; } = 10;

    /// <summary>Probability that a pixel of a copy is set to 0 (Liu et al.: 10 %).</summary>
    public double ZeroFraction { get; init; } = 0.1;

    /// <summary>Memorizing the random labels (measured on the laptop data: MLP 512-512 reaches 90 % in 21,000 steps, MLP 256-256 in 34,000).</summary>
    public SgdPhase Memorize { get; init; } = new() { LearningRate = 0.05, Momentum = 0.9, BatchSize = 128, MaxSteps = 60_000 };

    /// <summary>Stop memorizing once this accuracy on the random labels is reached (the reference run: 90 %; memorizing further makes a milder init).</summary>
    public double MemorizeTargetAccuracy { get; init; } = 0.9;

    /// <summary>
    /// Fitting the true labels until 100 % training accuracy, with small steps that keep the memorized features. Measured on the laptop
    /// data, from one memorized point each: MLP 512-512, η = 0.05 fits in 1,675 steps to a point testing 81.5 %, η = 0.005 in 1,175 steps
    /// to 75.2 %; MLP 256-256, η = 0.01 in 3,550 steps to 72.9 % (75.0 % after polishing), η = 0.005 in 9,350 steps to 71.6 % (74.2 %).
    /// </summary>
    public SgdPhase Fit { get; init; } = new() { LearningRate = 0.01, Momentum = 0.9, BatchSize = 128, MaxSteps = 20_000 };

    /// <summary>Plain SGD after that (<see cref="SgdPhase.MaxSteps"/> steps), so that the point is one plain SGD itself does not leave.</summary>
    public SgdPhase Polish { get; init; } = new() { LearningRate = 0.1, BatchSize = 32, MaxSteps = 10_000 };

    /// <summary>Steps between training-accuracy checks while fitting (full-batch GD and the true labels).</summary>
    public int CheckEvery { get; init; } = 25;

    /// <summary>Steps between accuracy checks on the (large) memorization set (a check costs about as much as 100 steps at B = 128).</summary>
    public int MemorizeCheckEvery { get; init; } = 2000;

    public void Validate()
    {
        FullBatch.Validate(nameof(FullBatch));
        Memorize.Validate(nameof(Memorize));
        Fit.Validate(nameof(Fit));
        Polish.Validate(nameof(Polish));
        if (AdversarialCopies < 1) throw new ArgumentOutOfRangeException(nameof(AdversarialCopies), AdversarialCopies, "at least one copy");
        if (!(ZeroFraction >= 0 && ZeroFraction < 1)) throw new ArgumentOutOfRangeException(nameof(ZeroFraction), ZeroFraction, "must be in [0, 1)");
        if (!(MemorizeTargetAccuracy > 0 && MemorizeTargetAccuracy <= 1)) throw new ArgumentOutOfRangeException(nameof(MemorizeTargetAccuracy), MemorizeTargetAccuracy, "must be in (0, 1]");
        if (CheckEvery < 1) throw new ArgumentOutOfRangeException(nameof(CheckEvery), CheckEvery, "must be ≥ 1");
        if (MemorizeCheckEvery < 1) throw new ArgumentOutOfRangeException(nameof(MemorizeCheckEvery), MemorizeCheckEvery, "must be ≥ 1");
    }
}

/// <summary>One run: where it starts, what it does, with which seed and step size, for how long.</summary>
public sealed record RunRecipe
{
    public required EscapeInit Init { get; init; }
    public required EscapeMethod Method { get; init; }
    public required int Seed { get; init; }
    public required double LearningRate { get; init; }
    public double Momentum { get; init; }
    public required int Steps { get; init; }

    /// <summary>Measured points after step 0 (equally spaced; the last at <see cref="Steps"/>).</summary>
    public required int Evaluations { get; init; }

    /// <summary>Decay per step of the exponential moving average of the parameters (the averaged iterate); 0: none.</summary>
    public double EmaDecay { get; init; }

    /// <summary>The last fraction of the steps that runs at η × <see cref="AnnealFactor"/> (0: a constant η throughout).</summary>
    public double AnnealFraction { get; init; }

    /// <summary>The factor on η in the last <see cref="AnnealFraction"/> of the steps.</summary>
    public double AnnealFactor { get; init; } = 1;

    /// <summary>η at every step: <see cref="LearningRate"/>, times <see cref="AnnealFactor"/> from step ⌈(1 − <see cref="AnnealFraction"/>)·Steps⌉ on.</summary>
    public LearningRateSchedule Schedule => new(LearningRate,
        AnnealFraction > 0 ? [((long)Math.Ceiling((1 - AnnealFraction) * Steps), AnnealFactor)] : []);

    /// <summary>Whether tr ∇²L, R and tr_G are measured (NaN when not).</summary>
    public bool MeasureCurvature { get; init; } = true;
}

/// <summary>One measured point of a run. Accuracies are fractions; curvature is of the smoothed loss L at p.</summary>
/// <param name="EmaTestAccuracy">Test accuracy of the exponential moving average of the parameters (NaN without one).</param>
public sealed record CurvePoint(
    int Step,
    double TrainAccuracy,
    double TestAccuracy,
    double EmaTestAccuracy,
    double TrainLoss,
    double Trace,
    double TraceStandardError,
    double Regularizer,
    double RegularizerStandardError,
    double LargestEigenvalue,
    double TraceProxy,
    double TraceProxyStandardError);

/// <summary>A phase of building an initialization, as recorded in inits.csv.</summary>
/// <param name="Phase">0 = full-batch GD, 1 = memorize random labels, 2 = fit the true labels, 3 = polish with plain SGD.</param>
/// <param name="Accuracy">Accuracy on the phase's own training data at its end (random labels for phase 1).</param>
public sealed record InitPhase(EscapeInit Init, int Phase, int Steps, double Accuracy, double TestAccuracy, double Seconds);

/// <summary>An initialization: its parameters and how it was reached.</summary>
public sealed record BuiltInit(EscapeInit Init, double[] Parameters, IReadOnlyList<InitPhase> Phases);

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

    static ulong Mix(ulong a, ulong b) => new Generator(a * 0x9E3779B97F4A7C15UL ^ b).NextUInt64();

    /// <summary>A model of <see cref="Spec"/> with its parameters drawn from <paramref name="initialization"/>.</summary>
    public TorchLearner NewLearner(Dataset train, Generator initialization)
    {
        var built = ModelFactory.Create(Spec, train, "torch", initialization);
        return new TorchLearner(built.Network!, train, Setting.FlipProbability, built.DType);
    }

    /// <summary>A model of <see cref="Spec"/> at the given parameters, bound to the training set.</summary>
    public TorchLearner LearnerAt(double[] parameters)
    {
        var learner = NewLearner(Train, new Generator(0));
        learner.SetParameters(parameters);
        return learner;
    }

    // ---------------------------------------------------------------- initializations

    /// <summary>Full-batch gradient descent on the clean labels from a random initialization until 100 % training accuracy.</summary>
    public BuiltInit FullBatchInit(InitRecipe recipe, ulong experimentSeed, CancellationToken cancellation = default)
    {
        recipe.Validate();
        var clock = Stopwatch.StartNew();
        using var learner = NewLearner(Train, new Generator(Mix(experimentSeed, 1)));
        var all = BatchSampler.Full(Train.Count);
        var targets = CleanTargets.Of(Train, all);
        int steps = 0;
        double accuracy = Accuracy(learner, Train);
        while (accuracy < 1 && steps < recipe.FullBatch.MaxSteps)
        {
            cancellation.ThrowIfCancellationRequested();
            int chunk = Math.Min(recipe.CheckEvery, recipe.FullBatch.MaxSteps - steps);
            for (int k = 0; k < chunk; k++)
            {
                CheckedStep(learner, all, targets, recipe.FullBatch.LearningRate, recipe.FullBatch.Momentum, "full-batch GD", steps + k);
            }
            steps += chunk;
            accuracy = Accuracy(learner, Train);
        }
        var phase = new InitPhase(EscapeInit.FullBatch, 0, steps, accuracy, Accuracy(learner, Test), clock.Elapsed.TotalSeconds);
        return new BuiltInit(EscapeInit.FullBatch, learner.GetParameters(), [phase]);
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
        var root = new Generator(Mix(experimentSeed, 2));
        var dataGenerator = root.Split();
        var modelGenerator = root.Split();
        var sampler = root.Split();
        var clock = Stopwatch.StartNew();
        var adversarial = AdversarialData.Build(Train, recipe.AdversarialCopies, recipe.ZeroFraction, dataGenerator);
        using var learner = NewLearner(adversarial, modelGenerator);
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
        var phase = new InitPhase(EscapeInit.Adversarial, 1, steps, accuracy, Accuracy(learner, Test), clock.Elapsed.TotalSeconds);
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
        var sampler = new Generator(Mix(experimentSeed, 3));
        var phases = memorized.Phases.ToList();
        var clock = Stopwatch.StartNew();
        using var learner = LearnerAt(memorized.Parameters);
        int steps = 0;
        double accuracy = Accuracy(learner, Train);
        while (accuracy < 1 && steps < recipe.Fit.MaxSteps)
        {
            int chunk = Math.Min(recipe.CheckEvery, recipe.Fit.MaxSteps - steps);
            SgdSteps(learner, chunk, recipe.Fit, sampler, cancellation);
            steps += chunk;
            accuracy = Accuracy(learner, Train);
        }
        phases.Add(new InitPhase(EscapeInit.Adversarial, 2, steps, accuracy, Accuracy(learner, Test), clock.Elapsed.TotalSeconds));
        clock.Restart();
        SgdSteps(learner, recipe.Polish.MaxSteps, recipe.Polish, sampler, cancellation);
        phases.Add(new InitPhase(EscapeInit.Adversarial, 3, recipe.Polish.MaxSteps, Accuracy(learner, Train), Accuracy(learner, Test), clock.Elapsed.TotalSeconds));
        return new BuiltInit(EscapeInit.Adversarial, learner.GetParameters(), phases);
    }

    void SgdSteps(TorchLearner learner, int steps, SgdPhase phase, Generator sampler, CancellationToken cancellation)
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
        var schedule = run.Schedule;
        var streams = RunStreams(experimentSeed, run.Seed);
        var measure = new Generator(Mix(experimentSeed, 5000 + (ulong)run.Seed * 16 + (ulong)run.Method * 4 + (ulong)run.Init));
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
            points.Add(Measure(learner, run, measure, average) with { Step = done });
        }
        finalParameters?.Invoke(learner.GetParameters());
        return points;
    }

    /// <summary>
    /// Accuracies (and the averaged iterate's test accuracy), L, tr ∇²L and R (<see cref="EscapeCurvature"/>, R at the run's η and β)
    /// and tr_G at the learner's point; curvature is NaN when the run does not measure it.
    /// </summary>
    public CurvePoint Measure(TorchLearner learner, RunRecipe run, Generator generator, ParameterAverage? average = null)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(run);
        var train = learner.Evaluate(Train, false);
        double test = Accuracy(learner, Test);
        double averaged = average is null ? double.NaN : average.Evaluate(() => Accuracy(learner, Test));
        if (!run.MeasureCurvature)
            return new CurvePoint(0, train.Accuracy ?? double.NaN, test, averaged, train.Loss, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        CurvatureNumbers curvature;
        using (var objective = new TorchObjective(learner.Model, CurvatureSet, Setting.FlipProbability))
            curvature = EscapeCurvature.Estimate(objective, Setting.Curvature, new RegularizerSettings(run.LearningRate, run.Momentum), generator.Split());
        var proxy = NoiseTraceProxy.Estimate(learner, Train, new LabelFlipNoise(Setting.FlipProbability), Setting.BatchSize, Setting.ProxyBatches, generator.Split());
        return new CurvePoint(0, train.Accuracy ?? double.NaN, test, averaged, train.Loss, curvature.Trace, curvature.TraceStandardError,
            curvature.Regularizer, curvature.RegularizerStandardError, curvature.LargestEigenvalue, proxy.Estimate, proxy.StandardError);
    }
}

/// <summary>Liu et al.'s memorization set: copies of a training set with pixels zeroed and uniformly random labels.</summary>
public static class AdversarialData
{
    /// <summary>
    /// <paramref name="copies"/> copies of <paramref name="train"/>, copy by copy and example by example; each
    /// feature is set to 0 with probability <paramref name="zeroFraction"/> and each copy of an example gets a
    /// label drawn uniformly from all classes (its true class included).
    /// </summary>
    public static ClassificationDataset Build(ClassificationDataset train, int copies, double zeroFraction, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(generator);
        if (copies < 1) throw new ArgumentOutOfRangeException(nameof(copies), copies, "at least one copy is needed");
        if (!(zeroFraction >= 0 && zeroFraction < 1)) throw new ArgumentOutOfRangeException(nameof(zeroFraction), zeroFraction, "the zeroed fraction must lie in [0, 1)");
        int n = train.Count, width = train.FeatureCount;
        long total = (long)copies * n * width;
        if (total > Array.MaxLength) throw new ArgumentException($"{copies} copies of {n} examples of {width} features do not fit in one array", nameof(copies));
        var features = new float[total];
        var labels = new int[copies * n];
        for (int c = 0; c < copies; c++)
            for (int i = 0; i < n; i++)
            {
                long target = ((long)c * n + i) * width, source = (long)i * width;
                for (int j = 0; j < width; j++)
                    features[target + j] = generator.NextDouble() < zeroFraction ? 0f : train.Features[source + j];
                labels[c * n + i] = generator.NextInt(train.ClassCount);
            }
        return new ClassificationDataset($"{train.Name} adversarial ×{copies}", train.SampleShape, features, labels, train.ClassCount);
    }
}

/// <summary>
/// The one table format of measured runs (curves.csv of escape, escape-momentum.csv of momentum) and the
/// medians and min/max bands over seeds that figures, summaries and claims are computed from.
/// </summary>
public static class EscapeCurves
{
    public static readonly string[] Columns =
    [
        "init", "method", "momentum", "learning_rate", "seed", "step", "train_acc", "test_acc", "ema_test_acc", "train_loss",
        "trace", "trace_se", "regularizer", "regularizer_se", "lambda_max", "trace_proxy", "trace_proxy_se",
    ];

    public static CsvTable NewTable() => new(Columns);

    public static void Add(CsvTable table, RunRecipe run, IReadOnlyList<CurvePoint> points)
    {
        foreach (var p in points)
            table.Add((int)run.Init, (int)run.Method, run.Momentum, run.LearningRate, run.Seed, p.Step, p.TrainAccuracy, p.TestAccuracy, p.EmaTestAccuracy, p.TrainLoss,
                p.Trace, p.TraceStandardError, p.Regularizer, p.RegularizerStandardError, p.LargestEigenvalue, p.TraceProxy, p.TraceProxyStandardError);
    }

    /// <summary>The runs of one group (of one η when <paramref name="learningRate"/> is given), one table per seed (rows in step order); empty when the group was not run.</summary>
    public static CsvTable[] Seeds(CsvTable table, EscapeInit init, EscapeMethod method, double momentum = 0, double? learningRate = null)
    {
        var group = table.Where("init", (int)init).Where("method", (int)method).Where("momentum", momentum);
        if (learningRate is double rate) group = group.Where("learning_rate", rate);
        return group.Column("seed").Distinct().Order().Select(s => group.Where("seed", s)).ToArray();
    }

    /// <summary>Steps, and the median, minimum and maximum over seeds of a column at each step (seeds must share their steps).</summary>
    public static (double[] Steps, double[] Median, double[] Min, double[] Max) Band(CsvTable[] seeds, string column,
        Func<CsvTable, int, double>? lower = null, Func<CsvTable, int, double>? upper = null)
    {
        if (seeds.Length == 0) return ([], [], [], []);
        int count = seeds.Min(s => s.RowCount);
        var steps = seeds[0].Column("step").Take(count).ToArray();
        var median = new double[count];
        var min = new double[count];
        var max = new double[count];
        for (int i = 0; i < count; i++)
        {
            median[i] = Vectors.Median(seeds.Select(s => s[i, column]));
            min[i] = seeds.Min(s => lower is null ? s[i, column] : lower(s, i));
            max[i] = seeds.Max(s => upper is null ? s[i, column] : upper(s, i));
        }
        return (steps, median, min, max);
    }

    /// <summary>A figure line: the median over seeds of a column, with a min/max band (of the value ± <paramref name="errorColumn"/> when given).</summary>
    public static Series Line(string label, CsvTable[] seeds, string column, double scale = 1, string? errorColumn = null)
    {
        static double Finite(double x) => double.IsFinite(x) ? x : 0;
        var (steps, median, min, max) = Band(seeds, column,
            errorColumn is null ? null : (s, i) => s[i, column] - Finite(s[i, errorColumn]),
            errorColumn is null ? null : (s, i) => s[i, column] + Finite(s[i, errorColumn]));
        return new Series(label, steps, median.Select(v => scale * v).ToArray(), min.Select(v => scale * v).ToArray(), max.Select(v => scale * v).ToArray());
    }

    /// <summary>The median over seeds of a column at row <paramref name="index"/> (negative: from the end, −1 = last).</summary>
    public static double MedianAt(CsvTable[] seeds, string column, int index) =>
        seeds.Length == 0 ? double.NaN : Vectors.Median(seeds.Select(s => s[index >= 0 ? index : s.RowCount + index, column]));
}
