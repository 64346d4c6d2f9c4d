using LabelNoise.Data;
using LabelNoise.Randomness;

namespace LabelNoise.Noise;

/// <summary>Gaussian label noise εᵢ ~ N(0, σ²), added to each sampled target.</summary>
public sealed class GaussianNoise : ILabelNoise
{
    public GaussianNoise(double noiseStdDev)
    {
        if (!(noiseStdDev >= 0) || double.IsInfinity(noiseStdDev))
            throw new ArgumentOutOfRangeException(nameof(noiseStdDev), noiseStdDev, "σ must be finite and ≥ 0");
        NoiseStdDev = noiseStdDev;
    }

    public double NoiseStdDev { get; }
    public string Spec => FormattableString.Invariant($"gauss:{NoiseStdDev}");
    public double Variance => NoiseStdDev * NoiseStdDev;

    public BatchTargets Perturb(Dataset data, IReadOnlyList<int> batch, Generator generator)
    {
        var regression = CleanTargets.Regression(data, Spec);
        var values = new double[batch.Count];
        for (int k = 0; k < values.Length; k++) values[k] = regression.Targets[batch[k]] + NoiseStdDev * generator.NextGaussian();
        return new RegressionTargets(values);
    }
}
