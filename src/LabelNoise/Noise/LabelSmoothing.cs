using LabelNoise.Data;
using LabelNoise.Randomness;

namespace LabelNoise.Noise;

/// <summary>
/// The control for label flipping: fit the *expected* flipped target (label smoothing) with no
/// sampled noise. Same loss in expectation, none of the noise: whatever label noise does beyond
/// this comes from the noise itself.
/// </summary>
public sealed class LabelSmoothing : ILabelNoise
{
    public LabelSmoothing(double flipProbability)
    {
        if (!(flipProbability >= 0 && flipProbability < 1))
            throw new ArgumentOutOfRangeException(nameof(flipProbability), flipProbability, "the smoothing probability p must lie in [0, 1)");
        FlipProbability = flipProbability;
    }

    public double FlipProbability { get; }
    public string Spec => FormattableString.Invariant($"smooth:{FlipProbability}");
    public double Variance => 0;

    public BatchTargets Perturb(Dataset data, IReadOnlyList<int> batch, RandomStream generator)
    {
        var classification = CleanTargets.Classification(data, this);
        return new SmoothedLabels(batch.Select(i => classification.Labels[i]).ToArray(), FlipProbability);
    }
}
