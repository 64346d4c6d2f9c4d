namespace LabelNoise.Experiments;

/// <summary>A phase of building an initialization, as recorded in inits.csv.</summary>
/// <param name="Phase">0 = full-batch GD, 1 = memorize random labels, 2 = fit the true labels, 3 = polish with plain SGD.</param>
/// <param name="Accuracy">Accuracy on the phase's own training data at its end (random labels for phase 1).</param>
public sealed record InitPhase(EscapeInit Init, int Phase, int Steps, double Accuracy, double TestAccuracy, double Seconds);
