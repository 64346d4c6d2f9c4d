using LabelNoise.Randomness;

namespace LabelNoise.Noise;

/// <summary>Gaussian label noise εᵢ ~ N(0, σ²), added to each sampled target.</summary>
public sealed class GaussianNoise(double noiseStdDev) : AdditiveLabelNoise(noiseStdDev)
{
    public override string Spec => FormattableString.Invariant($"gauss:{NoiseStdDev}");
    protected override double UnitDraw(RandomStream generator) => generator.NextGaussian();
}
