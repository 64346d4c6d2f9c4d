using LabelNoise.Files;

namespace LabelNoise.Training;

/// <summary>How a run ended: the step reached, whether it was interrupted (and checkpointed), and the last metrics.</summary>
public sealed record TrainingResult(long Step, bool Interrupted, MetricsRow? Last, double ElapsedSeconds);
