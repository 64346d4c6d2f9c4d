using System.Globalization;

namespace LabelNoise.Training;

/// <summary>
/// Everything that defines a training run, as given on the command line; written to
/// DIR/config.json with every run and read back by --resume.
/// </summary>
public sealed record TrainingConfig
{
    public string Model { get; init; } = "mlp:512,512";
    public string Data { get; init; } = "fashion-mnist";
    /// <summary>none | pm:σ | gauss:σ | flip:p | smooth:p.</summary>
    public string Noise { get; init; } = "none";
    public double LearningRate { get; init; } = 0.1;
    public int BatchSize { get; init; } = 32;
    public long Steps { get; init; } = 1000;
    public double Momentum { get; init; }
    public bool FullBatch { get; init; }
    public ulong Seed { get; init; }
    /// <summary>A flat parameter file (one number per line) or a checkpoint folder to start from.</summary>
    public string? Init { get; init; }
    public long EvalEvery { get; init; } = 100;
    /// <summary>0: no trajectory file.</summary>
    public long TrajectoryEvery { get; init; }
    /// <summary>0: checkpoint every <see cref="CheckpointMinutes"/> instead.</summary>
    public long CheckpointEvery { get; init; }
    public double CheckpointMinutes { get; init; } = 5;
    /// <summary>step:factor,... e.g. 100000:0.1,200000:0.1.</summary>
    public string? LrDecay { get; init; }
    public int? TrainSize { get; init; }
    public int? TestSize { get; init; }
    /// <summary>unit | standard | raw.</summary>
    public string Scaling { get; init; } = "unit";
    /// <summary>auto | hand | torch: auto takes the hand-written path where the model has one.</summary>
    public string Backend { get; init; } = "auto";

    /// <summary>Checks every value that does not need the data; throws one clear sentence.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) Fail($"the learning rate η must be a positive number, not {Show(LearningRate)}");
        if (BatchSize < 1) Fail($"the batch size B must be at least 1, not {BatchSize}");
        if (Steps < 0) Fail($"the number of steps must be ≥ 0, not {Steps}");
        if (!(Momentum >= 0 && Momentum < 1)) Fail($"the momentum β must lie in [0, 1), not {Show(Momentum)}");
        if (EvalEvery < 1) Fail($"--eval-every must be at least 1, not {EvalEvery}");
        if (TrajectoryEvery < 0) Fail($"--trajectory-every must be ≥ 0, not {TrajectoryEvery}");
        if (CheckpointEvery < 0) Fail($"--checkpoint-every must be ≥ 0, not {CheckpointEvery}");
        if (!(CheckpointMinutes > 0)) Fail($"--checkpoint-minutes must be positive, not {Show(CheckpointMinutes)}");
        if (TrainSize is < 1) Fail($"--train-size must be at least 1, not {TrainSize}");
        if (TestSize is < 0) Fail($"--test-size must be ≥ 0, not {TestSize}");
        if (Backend is not ("auto" or "hand" or "torch")) Fail($"--backend must be auto, hand or torch, not '{Backend}'");
        if (Scaling is not ("unit" or "standard" or "raw")) Fail($"--scaling must be unit, standard or raw, not '{Scaling}'");
        if (FullBatch && Noise != "none") Fail($"--full-batch is gradient descent on the clean loss: it takes no --noise (got '{Noise}')");
        if (FullBatch && Momentum != 0) Fail("--full-batch is plain gradient descent: it takes no --momentum");
    }

    static void Fail(string message) => throw new SettingException(message);
    static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);
}
