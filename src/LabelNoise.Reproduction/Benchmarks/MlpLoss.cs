using LabelNoise.Objectives;
using static TorchSharp.torch;

namespace LabelNoise.Benchmarks;

/// <summary>
/// The curvature workloads' setting: the benchmark's MLP at its initialization (<see cref="MlpFixture.CreateModel"/>)
/// and its smoothed loss at the benchmark's flip probability on the benchmark's examples. Disposing disposes both.
/// </summary>
public sealed class MlpLoss : IDisposable
{
    public MlpLoss(BenchContext context)
    {
        Model = MlpFixture.CreateModel(context.MlpData, context.Settings.Seed);
        Objective = new TorchObjective(Model, context.MlpData, context.Settings.FlipProbability);
    }

    public nn.Module<Tensor, Tensor> Model { get; }
    public TorchObjective Objective { get; }

    public void Dispose()
    {
        Objective.Dispose();
        Model.Dispose();
    }
}
