using LabelNoise.Data;

namespace LabelNoise.Benchmarks;

/// <summary>What the workloads share: the settings and the MLP's examples (loaded once, on first use).</summary>
public sealed class BenchContext(BenchSettings settings)
{
    ClassificationDataset? mlpData, rseTrain;

    public BenchSettings Settings { get; } = settings ?? throw new ArgumentNullException(nameof(settings));

    /// <summary>The MLP workloads' examples: see <see cref="MlpFixture.LoadData"/>.</summary>
    public ClassificationDataset MlpData => mlpData ??= MlpFixture.LoadData(Settings.MlpExamples, Settings.Seed);

    /// <summary>The trained MLP's training images (<see cref="TrainedMlp"/>), loaded once for the workloads that share them.</summary>
    public ClassificationDataset RseTrain => rseTrain ??= MlpFixture.LoadData(Settings.RseTrainExamples, Settings.Seed);
}
