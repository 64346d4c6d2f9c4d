namespace LabelNoise.Training;

/// <summary>
/// A model measured on a data set with clean labels: the reported loss L (squared error, cross
/// entropy, or smoothed cross entropy minus its minimum), the accuracy for classification, and
/// where asked for, the norm of the full gradient ∇L.
/// </summary>
public sealed record Evaluation(double Loss, double? Accuracy, double? GradientNorm);
