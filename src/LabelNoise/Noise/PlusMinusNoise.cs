using LabelNoise.Randomness;

namespace LabelNoise.Noise;

/// <summary>The paper's label noise (Algorithm 1): εᵢ uniform on {−σ, +σ}, added to each sampled target.</summary>
public sealed class PlusMinusNoise(double noiseStdDev) : AdditiveLabelNoise(noiseStdDev)
{
    public override string Spec => FormattableString.Invariant($"pm:{NoiseStdDev}");
    protected override double UnitDraw(RandomStream generator) => generator.NextSign();
}
