namespace LabelNoise.Objectives;

/// <summary>
/// tr ∇²L computed exactly (not estimated), with the trace of each parameter block's diagonal block, and
/// a sentence on how (for the user).
/// </summary>
public sealed record ExactTrace(double Value, IReadOnlyList<(string Block, double Trace)> Blocks, string Method);
