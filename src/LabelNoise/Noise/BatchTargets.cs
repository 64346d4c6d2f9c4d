namespace LabelNoise.Noise;

/// <summary>The targets a training step fits on one batch: what label noise perturbs.</summary>
public abstract record BatchTargets
{
    public abstract int Count { get; }
}

/// <summary>Real targets ỹᵢ = yᵢ + εᵢ for regression.</summary>
public sealed record RegressionTargets(double[] Values) : BatchTargets
{
    public override int Count => Values.Length;
}

/// <summary>One class per example, possibly flipped.</summary>
public sealed record HardLabels(int[] Labels) : BatchTargets
{
    public override int Count => Labels.Length;
}

/// <summary>
/// The expected target of label flipping with probability <see cref="FlipProbability"/>:
/// 1 − p on the true class and p/(C − 1) on each other class (label smoothing, no sampling).
/// </summary>
public sealed record SmoothedLabels(int[] Labels, double FlipProbability) : BatchTargets
{
    public override int Count => Labels.Length;
}
