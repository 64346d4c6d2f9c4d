using LabelNoise.Noise;
using LabelNoise.Training;
using LabelNoise.Randomness;

namespace LabelNoise.Training;

/// <summary>The proxy's estimate with its standard error over batches.</summary>
public sealed record NoiseTraceEstimate(double Estimate, double StandardError, int Batches, double[] Samples);

/// <summary>
/// The cheap curvature proxy of the paper's official code: tr_G = B·(E‖∇L̂_noisy‖² − E‖∇L̂_clean‖²)
/// over the same batches. For squared error with noise of variance σ², E over the noise of the
/// difference is (σ²/B²) Σ_{i∈batch} ‖∇fᵢ‖², so tr_G estimates σ² tr G; for label flipping it equals
/// tr G only at a minimum of the smoothed loss (far from one, it means little).
/// </summary>
public static class NoiseTraceProxy
{
    public static NoiseTraceEstimate Estimate(ILearner learner, LabelNoise.Data.Dataset train, ILabelNoise noise,
        int batchSize, int batches, RandomStream generator)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "the batch size must be ≥ 1");
        if (batches < 2) throw new ArgumentOutOfRangeException(nameof(batches), batches, "at least 2 batches are needed for a standard error");
        var sampler = generator.Split();
        var noiseGenerator = generator.Split();
        var samples = new double[batches];
        for (int b = 0; b < batches; b++)
        {
            var batch = BatchSampler.WithReplacement(train.Count, batchSize, sampler);
            double noisy = SquaredNorm(learner.Gradient(batch, noise.Perturb(train, batch, noiseGenerator)));
            double clean = SquaredNorm(learner.Gradient(batch, CleanTargets.Of(train, batch)));
            samples[b] = batchSize * (noisy - clean);
        }
        double mean = samples.Average();
        double variance = samples.Sum(s => (s - mean) * (s - mean)) / (batches - 1);
        return new NoiseTraceEstimate(mean, Math.Sqrt(variance / batches), batches, samples);
    }

    static double SquaredNorm(double[] v) => v.Sum(x => x * x);
}
