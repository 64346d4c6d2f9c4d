using LabelNoise.Data;

namespace LabelNoise.Benchmarks;

/// <summary>What the workloads share: the settings and the MLP's examples (loaded once, on first use).</summary>
public sealed class BenchContext(BenchSettings settings)
{
    ClassificationDataset? mlpData;

    public BenchSettings Settings { get; } = settings ?? throw new ArgumentNullException(nameof(settings));

    /// <summary>The MLP workloads' examples: see <see cref="MlpFixture.LoadData"/>.</summary>
    public ClassificationDataset MlpData => mlpData ??= MlpFixture.LoadData(Settings.MlpExamples, Settings.Seed);
}
