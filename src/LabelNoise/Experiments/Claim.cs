namespace LabelNoise.Experiments;

/// <summary>
/// One row of the report's table: a claim of the paper, what we measured, and whether it holds by
/// the stated criterion. <see cref="Holds"/> is always computed from the written data.
/// </summary>
public sealed record Claim(string Statement, string Measured, string Criterion, bool Holds);
