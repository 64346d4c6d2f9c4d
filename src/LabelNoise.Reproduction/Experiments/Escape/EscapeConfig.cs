using LabelNoise.Data;
using LabelNoise.Models;

namespace LabelNoise.Experiments;

/// <summary>
/// Escape's configuration (defaults: the laptop setting), its scale presets (<see cref="For"/>), the full-batch search's candidates and
/// the names of the result files.
/// </summary>
public sealed record EscapeConfig
{
    public EscapeSetting Setting { get; init; } = new();
    public InitRecipe Init { get; init; } = new();

    /// <summary>η of every escape run (plain SGD, label noise, smoothed control, baseline).</summary>
    public double LearningRate { get; init; } = 0.2;

    /// <summary>
    /// Steps of every run from the adversarial init: long enough for label noise to have escaped at the laptop scale, where twice as
    /// many changed no verdict and no margin by more than a few tenths of a point (docs/reproduction.md).
    /// </summary>
    public int Steps { get; init; } = 10_000;

    /// <summary>Measured points after step 0, equally spaced (accuracies at every one; curvature at every <see cref="CurvatureEvery"/>-th).</summary>
    public int Evaluations { get; init; } = 20;

    /// <summary>Curvature (tr ∇²L, R, tr_G) at step 0 and every k-th measured point: a curvature point costs many accuracy points.</summary>
    public int CurvatureEvery { get; init; } = 2;

    /// <summary>Seeds per (initialization, method); the inits themselves are built once.</summary>
    public int Seeds { get; init; } = 3;

    /// <summary>Decay per step of the parameters' moving average (the averaged iterate; time constant 1/(1 − d) steps).</summary>
    public double EmaDecay { get; init; } = 0.999;

    /// <summary>
    /// The last fraction of every run's steps at η × <see cref="AnnealFactor"/> (the same for every method): label noise's last iterate
    /// then stops fluctuating around where it has drifted to (the official code decays η with a cosine schedule).
    /// </summary>
    public double AnnealFraction { get; init; } = 0.2;

    /// <summary>The factor on η in the annealed part.</summary>
    public double AnnealFactor { get; init; } = 0.1;

    /// <summary>Settings tried, in order, for one where the full-batch initialization is poor (<see cref="FullBatchSearch"/>).</summary>
    public IReadOnlyList<FullBatchCandidate> FullBatchCandidates { get; init; } = [];

    /// <summary>
    /// Steps of the runs from the full-batch initialization, when a candidate qualifies. They run on one worker while the other builds
    /// the adversarial init, so their time is hidden behind it; longer runs gained nothing more from the small CNN's GD point.
    /// </summary>
    public int FullBatchSteps { get; init; } = 4_000;

    /// <summary>
    /// Measured points after step 0 of the runs from the full-batch initialization (accuracies only: each point evaluates the CNN on
    /// the training and test images, last and averaged iterate, which costs seconds).
    /// </summary>
    public int FullBatchEvaluations { get; init; } = 4;

    /// <summary>Training-set sizes of the escape-gain experiment (<see cref="EscapeGain"/>: label noise − plain SGD from the adversarial init built at each).</summary>
    public IReadOnlyList<int> GainSizes { get; init; } = [];

    public void Validate()
    {
        Setting.Validate();
        Init.Validate();
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "η must be positive");
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "at least one step");
        if (Evaluations < 1 || Evaluations > Steps) throw new ArgumentOutOfRangeException(nameof(Evaluations), Evaluations, "between 1 and the number of steps");
        if (CurvatureEvery < 1 || Evaluations % CurvatureEvery != 0) throw new ArgumentOutOfRangeException(nameof(CurvatureEvery), CurvatureEvery, "must divide the measured points");
        if (Seeds < 1) throw new ArgumentOutOfRangeException(nameof(Seeds), Seeds, "at least one seed");
        if (!(EmaDecay > 0 && EmaDecay < 1)) throw new ArgumentOutOfRangeException(nameof(EmaDecay), EmaDecay, "must lie in (0, 1)");
        if (!(AnnealFraction >= 0 && AnnealFraction < 1)) throw new ArgumentOutOfRangeException(nameof(AnnealFraction), AnnealFraction, "must lie in [0, 1)");
        if (!(AnnealFactor > 0 && AnnealFactor <= 1)) throw new ArgumentOutOfRangeException(nameof(AnnealFactor), AnnealFactor, "must lie in (0, 1]");
        foreach (var c in FullBatchCandidates) c.Validate();
        if (FullBatchEvaluations < 1 || FullBatchSteps < FullBatchEvaluations) throw new ArgumentOutOfRangeException(nameof(FullBatchEvaluations), FullBatchEvaluations, "between 1 and the full-batch runs' steps");
        if (GainSizes.Any(n => n < 10)) throw new ArgumentOutOfRangeException(nameof(GainSizes), "training-set sizes must be ≥ 10");
    }

    /// <summary>The environment variable naming a CIFAR-10 folder (binary version) for the full-scale run.</summary>
    public const string CifarVariable = "LABELNOISE_CIFAR10";

    public const string CurvesFile = "curves.csv";

    public const string InitsFile = "inits.csv";

    public const string SummaryCsvFile = "escape-summary.csv";

    /// <summary>The adversarial initialization's parameters (float64, <see cref="StateVector"/>), which momentum reuses.</summary>
    public const string AdversarialInitFile = "adversarial-init.bin";

    static readonly SgdPhase SearchDescent = new() { LearningRate = 0.2, Momentum = 0.9, BatchSize = 1, MaxSteps = 1_500 };

    /// <summary>Full-batch GD without momentum at a large step (declared before the candidates that use it: statics initialize in order).</summary>
    static readonly SgdPhase WithoutMomentum = SearchDescent with { Momentum = 0, LearningRate = 0.5, MaxSteps = 2_000 };

    public static EscapeConfig For(ExperimentScale scale) => scale switch
    {
        ExperimentScale.Tiny => new()
        {
            Setting = new()
            {
                TrainSize = 200, TestSize = 200, Model = "mlp:16", ProxyBatches = 2,
                Curvature = new() { Examples = 50, Probes = 3, LanczosSteps = 3, GuardSteps = 4, Deflation = 2 },
            },
            Init = new()
            {
                FullBatch = SearchDescent with { MaxSteps = 300 },
                Memorize = new() { LearningRate = 0.05, Momentum = 0.9, BatchSize = 128, MaxSteps = 200 },
                Fit = new() { LearningRate = 0.1, BatchSize = 32, MaxSteps = 600 },
                Polish = new() { LearningRate = 0.1, BatchSize = 32, MaxSteps = 100 },
                CheckEvery = 50, MemorizeCheckEvery = 100,
            },
            Steps = 100, Evaluations = 4,
            FullBatchCandidates = [new() { TrainSize = 100, Model = "mlp:16", GradientDescent = SearchDescent with { MaxSteps = 1_000 }, SgdSteps = 100 }],
            FullBatchSteps = 40, FullBatchEvaluations = 2,
            GainSizes = [100, 200],
        },
        ExperimentScale.Full when Environment.GetEnvironmentVariable(CifarVariable) is { Length: > 0 } folder => new()
        {
            // The paper's setting: ResNet-18 (GroupNorm) on all of CIFAR-10, B = 256, 1000 epochs of 195 steps,
            // η = 1 (the official code's runs used η between 1 and 5); curvature on 1,000 training images.
            Setting = new()
            {
                Data = "cifar10:" + folder, TrainSize = null, TestSize = null, Scaling = PixelScaling.Standardized, Model = "resnet18", BatchSize = 256,
                ProxyBatches = 20, Curvature = new() { Examples = 1000, Probes = 10, LanczosSteps = 10, GuardSteps = 20, Deflation = 10 },
            },
            Init = new()
            {
                FullBatch = new() { LearningRate = 0.1, Momentum = 0.9, BatchSize = 1, MaxSteps = 20_000 },
                Memorize = new() { LearningRate = 0.05, Momentum = 0.9, BatchSize = 128, MaxSteps = 1_000_000 },
                Fit = new() { LearningRate = 0.05, Momentum = 0.9, BatchSize = 128, MaxSteps = 500_000 },
                Polish = new() { LearningRate = 1.0, BatchSize = 256, MaxSteps = 20_000 },
                CheckEvery = 500, MemorizeCheckEvery = 5_000,
            },
            LearningRate = 1.0, Steps = 195_000, Evaluations = 50,
        },
        ExperimentScale.Full => new()
        {
            // 8,000 images, the reference PyTorch run's MLP 784-512-512-10, 100k steps; the escape gain at 1k, 2k, 4k and 8k images.
            Setting = new() { TrainSize = 8000, Model = "mlp:512,512", Curvature = new() { Examples = 1000, Probes = 10, LanczosSteps = 10, GuardSteps = 20, Deflation = 10 } },
            Init = new()
            {
                Fit = new() { LearningRate = 0.005, Momentum = 0.9, BatchSize = 128, MaxSteps = 20_000 },
                Polish = new() { LearningRate = 0.1, BatchSize = 32, MaxSteps = 30_000 },
            },
            Steps = 100_000, Evaluations = 20,
            FullBatchCandidates = LaptopCandidates,
            FullBatchSteps = 50_000, FullBatchEvaluations = 20,
            GainSizes = [1000, 2000, 4000, 8000],
        },
        _ => new() { FullBatchCandidates = LaptopCandidates, GainSizes = [1000, 2000, 4000, 8000] },
    };

    /// <summary>
    /// The laptop search for a poor full-batch initialization, cheapest first, among the settings known to widen the gap between full-batch
    /// GD and minibatch SGD: a wider and deeper MLP, GD without momentum at a large step, fewer examples per class, a CNN, a wider CNN
    /// (what each gave: docs/reproduction.md).
    /// </summary>
    static readonly FullBatchCandidate[] LaptopCandidates =
    [
        new() { TrainSize = 500, Model = "mlp:512,512", GradientDescent = WithoutMomentum, SgdSteps = 4_000 },
        new() { TrainSize = 1000, Model = "mlp:256,256", GradientDescent = WithoutMomentum, SgdSteps = 4_000 },
        new() { TrainSize = 250, Model = "cnn:8", GradientDescent = SearchDescent with { LearningRate = 0.1, MaxSteps = 1_000 }, SgdSteps = 4_000 },
        new() { TrainSize = 500, Model = "cnn:8", GradientDescent = SearchDescent with { LearningRate = 0.1, MaxSteps = 1_000 }, SgdSteps = 4_000 },
        new() { TrainSize = 500, Model = "cnn:16", GradientDescent = SearchDescent with { LearningRate = 0.1, MaxSteps = 1_000 }, SgdSteps = 4_000 },
    ];
}
