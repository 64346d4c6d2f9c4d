using LabelNoise.Data;
using LabelNoise.Randomness;

namespace LabelNoise.Noise;

/// <summary>
/// Regression label noise ỹᵢ = yᵢ + σ·uᵢ with uᵢ a fresh unit-variance draw for every sampled index,
/// so that with the same generator, noise at σ is exactly σ times the noise at 1.
/// </summary>
public abstract class AdditiveLabelNoise : ILabelNoise
{
    protected AdditiveLabelNoise(double noiseStdDev)
    {
        if (!(noiseStdDev >= 0) || double.IsInfinity(noiseStdDev))
            throw new ArgumentOutOfRangeException(nameof(noiseStdDev), noiseStdDev, "σ must be finite and ≥ 0");
        NoiseStdDev = noiseStdDev;
    }

    public double NoiseStdDev { get; }
    public double Variance => NoiseStdDev * NoiseStdDev;
    public abstract string Spec { get; }

    /// <summary>One unit-variance, mean-zero draw.</summary>
    protected abstract double UnitDraw(RandomStream generator);

    public BatchTargets Perturb(Dataset data, IReadOnlyList<int> batch, RandomStream generator) => Perturb(data, batch, generator, null);

    public BatchTargets Perturb(Dataset data, IReadOnlyList<int> batch, RandomStream generator, BatchTargets? reuse)
    {
        var regression = CleanTargets.Regression(data, this);
        var targets = reuse as RegressionTargets is { } previous && previous.Values.Length == batch.Count ? previous : new RegressionTargets(new double[batch.Count]);
        var values = targets.Values;
        for (int k = 0; k < values.Length; k++) values[k] = regression.Targets[batch[k]] + NoiseStdDev * UnitDraw(generator);
        return targets;
    }
}
