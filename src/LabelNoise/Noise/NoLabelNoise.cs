using LabelNoise.Data;
using LabelNoise.Randomness;

namespace LabelNoise.Noise;

/// <summary>Plain minibatch SGD: the clean targets, no draws from the generator.</summary>
public sealed class NoLabelNoise : ILabelNoise
{
    public string Spec => "none";
    public double Variance => 0;
    public BatchTargets Perturb(Dataset data, IReadOnlyList<int> batch, RandomStream generator) => CleanTargets.Of(data, batch);
}
