using LabelNoise.Data;
using LabelNoise.Randomness;

namespace LabelNoise.Noise;

/// <summary>
/// Label flipping for classification: each sampled label is kept with probability 1 − p and
/// otherwise replaced by one of the other C − 1 classes uniformly, i.e. drawn from the smoothed
/// target (1 − p on the true class, p/(C − 1) elsewhere), as the paper's official code does.
/// </summary>
public sealed class LabelFlipNoise : ILabelNoise
{
    public LabelFlipNoise(double flipProbability)
    {
        if (!(flipProbability >= 0 && flipProbability < 1))
            throw new ArgumentOutOfRangeException(nameof(flipProbability), flipProbability, "the flip probability p must lie in [0, 1)");
        FlipProbability = flipProbability;
    }

    public double FlipProbability { get; }
    public string Spec => FormattableString.Invariant($"flip:{FlipProbability}");

    /// <summary>At a global minimum of the smoothed loss the label-noise covariance is the Gauss–Newton term: σ² = 1.</summary>
    public double Variance => FlipProbability > 0 ? 1 : 0;

    public BatchTargets Perturb(Dataset data, IReadOnlyList<int> batch, RandomStream generator)
    {
        var classification = CleanTargets.Classification(data, this);
        int classes = classification.ClassCount;
        var labels = new int[batch.Count];
        for (int k = 0; k < labels.Length; k++)
        {
            int label = classification.Labels[batch[k]];
            if (generator.NextDouble() < FlipProbability)
            {
                int other = generator.NextInt(classes - 1);
                label = other >= label ? other + 1 : other;
            }
            labels[k] = label;
        }
        return new HardLabels(labels);
    }
}
