using LabelNoise.Files;

namespace LabelNoise.Training;

/// <summary>Where a run stands, for a progress display.</summary>
public sealed record TrainingProgress(long Step, long TotalSteps, double StepsPerSecond, MetricsRow? Latest);
