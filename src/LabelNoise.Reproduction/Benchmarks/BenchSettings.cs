namespace LabelNoise.Benchmarks;

/// <summary>
/// What <c>labelnoise bench</c> runs: the workloads' sizes (the settings) and how each is
/// timed, for us and for the PyTorch peer. <see cref="Full"/> is the benchmark; <see cref="Quick"/>
/// keeps every workload but shrinks repeats, probe counts and run lengths so that the whole suite
/// finishes in seconds (for development and tests; its numbers are not the benchmark's).
/// </summary>
public sealed record BenchSettings
{
    public required bool IsQuick { get; init; }
    public int Threads { get; init; } = 2;
    public ulong Seed { get; init; }

    /// <summary>Rounds of ours-then-peer for the short groups (the MLP step, HVP and trace; the quadratic model), pooled; the minutes-long SLQ runs once.</summary>
    public int Rounds { get; init; } = 1;

    // The MLP workloads: 784-512-512-10, float32, on a fixed set of examples.
    public int MlpExamples { get; init; } = 1024;
    public int MlpBatchSize { get; init; } = 256;
    public double FlipProbability { get; init; } = 0.2;
    public double MlpLearningRate { get; init; } = 0.05;
    public required TimingPlan MlpStep { get; init; }
    public required TimingPlan MlpHvp { get; init; }
    public required TimingPlan MlpGradient { get; init; }
    public required TimingPlan MlpTrace { get; init; }
    public int TraceProbes { get; init; } = 100;

    // R(θ) by deflated SLQ, to a relative standard error, at a point label-noise SGD reached: at
    // initialization the Hessian's trace is small against its Frobenius norm and 1 % would take
    // ~20,000 probes; after 1,000 steps (~97 % training accuracy) it takes ~450.
    public int SlqTrainingSteps { get; init; } = 1000;
    public double SlqTrainingRate { get; init; } = 0.2;
    public double RegularizerLearningRate { get; init; } = 0.1;
    public double SlqTargetRelativeStandardError { get; init; } = 0.01;
    public int SlqMinProbes { get; init; } = 10;
    public int SlqMaxProbes { get; init; } = 1000;
    /// <summary>Lanczos steps per probe: the bulk's ηλ/2 is below 0.15, where f is nearly quadratic and 5 nodes are exact to far below the probe noise.</summary>
    public int SlqLanczosSteps { get; init; } = 5;
    public int SlqGuardSteps { get; init; } = 30;
    public int SlqDeflation { get; init; } = 10;
    public required TimingPlan Slq { get; init; }

    // trace-rse, regularizer-rse, estimator-convergence: a trained escape-style MLP, curvature to a relative standard error.
    public int RseTrainExamples { get; init; } = 4000;
    public int RseExamples { get; init; } = 2000;
    public int RseTrainingSteps { get; init; } = 6000;
    public double RseTrainingRate { get; init; } = 0.1;
    public int RseTrainingBatch { get; init; } = 32;
    public double RseTarget { get; init; } = 0.01;
    /// <summary>Our estimators' product budget for the trace (R: as many probes).</summary>
    public int RseMaxProducts { get; init; } = 20_000;
    /// <summary>The peer stops at this many Hessian-vector products (or <see cref="PeerRseSeconds"/>) and extrapolates with SE² ∝ 1/products.</summary>
    public int PeerRseMaxProducts { get; init; } = 200;
    public double PeerRseSeconds { get; init; } = 90;
    public required TimingPlan TraceRse { get; init; }
    public required TimingPlan RegularizerRse { get; init; }
    /// <summary>Product budgets of each estimator in the convergence figure.</summary>
    public int[] ConvergenceBudgets { get; init; } = [16, 32, 64];
    /// <summary>Where bench writes its figures (estimator-convergence); --quick writes them under the temporary folder.</summary>
    public string FiguresFolder { get; init; } = "bench-figures";
    /// <summary>mlp-step-b32's batch: the escape experiments' B.</summary>
    public int EscapeBatchSize { get; init; } = 32;

    // Algorithm 1 on HaoChen's quadratic model (d = 100, n = 40, 5-sparse truth, B = 1, float64).
    public int QuadraticFeatures { get; init; } = 100;
    public int QuadraticExamples { get; init; } = 40;
    public int QuadraticSupport { get; init; } = 5;
    /// <summary>η = 0.005 on our ½(f − y)² loss: HaoChen et al.'s 0.01 on their ¼(f − y)² (the same steps).</summary>
    public double QuadraticLearningRate { get; init; } = 0.005;
    public double QuadraticNoiseStdDev { get; init; } = 1;
    public int QuadraticRunSteps { get; init; } = 300_000;
    /// <summary>Iterations per repeat × <see cref="QuadraticStepWorkload.StepsPerCall"/> = steps timed together (one step is far below the clock's resolution).</summary>
    public required TimingPlan QuadraticStep { get; init; }
    public required TimingPlan QuadraticRun { get; init; }

    /// <summary>The reference throughput: a square float32 matmul of this size.</summary>
    public int MatmulSize { get; init; } = 2048;
    public required TimingPlan Matmul { get; init; }

    // The peer is ~100× slower per quadratic step: fewer steps per repeat, fewer whole runs.
    public required TimingPlan PeerQuadraticStep { get; init; }
    public required TimingPlan PeerQuadraticRun { get; init; }
    public TimeSpan PeerTimeout { get; init; } = TimeSpan.FromMinutes(20);

    public static BenchSettings Full { get; } = new()
    {
        IsQuick = false,
        Rounds = 3,
        MlpStep = new TimingPlan(10, 50, minWarmupSeconds: 2),
        MlpHvp = new TimingPlan(3, 20, minWarmupSeconds: 2),
        MlpGradient = new TimingPlan(3, 20),
        MlpTrace = new TimingPlan(1, 3),
        Slq = new TimingPlan(0, 2),
        TraceRse = new TimingPlan(1, 3),
        RegularizerRse = new TimingPlan(0, 1),
        QuadraticStep = new TimingPlan(1, 10, 100, minWarmupSeconds: 2),
        QuadraticRun = new TimingPlan(1, 5, minWarmupSeconds: 2),
        Matmul = new TimingPlan(2, 10, minWarmupSeconds: 2),
        PeerQuadraticStep = new TimingPlan(1, 5, 2_000),
        PeerQuadraticRun = new TimingPlan(0, 2),
    };

    public static BenchSettings Quick { get; } = new()
    {
        IsQuick = true,
        MlpStep = new TimingPlan(2, 5),
        MlpHvp = new TimingPlan(1, 3),
        MlpGradient = new TimingPlan(1, 3),
        MlpTrace = new TimingPlan(1, 2),
        TraceProbes = 4,
        SlqMinProbes = 2,
        SlqMaxProbes = 2,
        SlqTrainingSteps = 20,
        SlqLanczosSteps = 4,
        SlqGuardSteps = 6,
        SlqDeflation = 2,
        Slq = new TimingPlan(0, 1),
        RseTrainExamples = 200,
        RseExamples = 100,
        RseTrainingSteps = 50,
        RseTarget = 0.2,
        PeerRseMaxProducts = 20,
        PeerRseSeconds = 20,
        ConvergenceBudgets = [8],
        FiguresFolder = Path.Combine(Path.GetTempPath(), "labelnoise-bench", "quick-figures"),
        TraceRse = new TimingPlan(0, 1),
        RegularizerRse = new TimingPlan(0, 1),
        QuadraticRunSteps = 20_000,
        QuadraticStep = new TimingPlan(1, 3, 10),
        QuadraticRun = new TimingPlan(1, 2),
        MatmulSize = 1024,
        Matmul = new TimingPlan(1, 3),
        PeerQuadraticStep = new TimingPlan(1, 3, 500),
        PeerQuadraticRun = new TimingPlan(0, 1),
        PeerTimeout = TimeSpan.FromMinutes(5),
    };
}
