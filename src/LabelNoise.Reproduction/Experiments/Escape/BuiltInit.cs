namespace LabelNoise.Experiments;

/// <summary>An initialization: its parameters and how it was reached.</summary>
public sealed record BuiltInit(EscapeInit Init, double[] Parameters, IReadOnlyList<InitPhase> Phases);
