namespace LabelNoise.Training;

/// <summary>Training produced a non-finite loss. The message names the step; the last good checkpoint is kept.</summary>
public sealed class DivergenceException(long step, string what, long? lastCheckpointStep)
    : Exception($"training diverged at step {step}: {what} is not finite"
        + (lastCheckpointStep is long c ? $"; the last good checkpoint (step {c}) is kept" : "; no checkpoint was written before it"))
{
    public long Step { get; } = step;
}
