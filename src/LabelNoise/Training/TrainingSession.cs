using LabelNoise.Data;
using LabelNoise.Noise;

namespace LabelNoise.Training;

/// <summary>A learner with the data, noise and schedule it trains under; built by <see cref="TrainingSetup"/>.</summary>
public sealed record TrainingSession(
    TrainingConfig Config,
    ILearner Learner,
    Dataset Train,
    Dataset? Test,
    ILabelNoise Noise,
    LearningRateSchedule Schedule) : IDisposable
{
    public void Dispose() => Learner.Dispose();
}
