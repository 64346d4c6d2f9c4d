using LabelNoise.Models;
using LabelNoise.Noise;
using LabelNoise.Randomness;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Training;

namespace LabelNoise.Tests.Training;

/// <summary>What one step of Algorithm 1 does in expectation and in covariance.</summary>
public class LabelNoiseStepTests
{
    /// <summary>−∇L̂ read off one plain step with η = 1 from <paramref name="theta"/>.</summary>
    static double[] Gradient(ILearner learner, double[] theta, int[] batch, BatchTargets targets)
    {
        learner.SetParameters(theta);
        learner.Step(batch, targets, 1.0, 0);
        var after = learner.GetParameters();
        return theta.Select((t, j) => t - after[j]).ToArray();
    }

    [Fact]
    public void ExpectedPlusMinusGradientIsTheCleanGradientExactly()
    {
        // ∇L̂ is affine in ε, so averaging over all 2^B sign patterns gives the clean gradient exactly.
        var data = TestData.Regression(8, 3, seed: 5);
        using var learner = new HandLearner(new QuadraticModel(3), data);
        double[] theta = [0.9, 1.1, -0.3, 0.2, 0.4, 0.0];
        int[] batch = [1, 4, 4];
        const double sigma = 0.7;
        var clean = Gradient(learner, theta, batch, CleanTargets.Of(data, batch));
        var mean = new double[theta.Length];
        for (int pattern = 0; pattern < 8; pattern++)
        {
            var values = batch.Select((i, k) => data.Targets[i] + sigma * (((pattern >> k) & 1) == 1 ? 1 : -1)).ToArray();
            var g = Gradient(learner, theta, batch, new RegressionTargets(values));
            for (int j = 0; j < g.Length; j++) mean[j] += g[j] / 8;
        }
        for (int j = 0; j < theta.Length; j++) Assert.Equal(clean[j], mean[j], 12);
        Assert.NotEqual(clean, Gradient(learner, theta, batch, new PlusMinusNoise(sigma).Perturb(data, batch, new RandomStream(1))));
    }

    [Fact]
    public void ExpectedFlipGradientIsTheSmoothedLossGradient()
    {
        // Cross entropy is linear in the target distribution: Σ over flipped labels weighted by their
        // probabilities equals the gradient of the smoothed cross entropy.
        const int classes = 3;
        const double p = 0.3;
        var data = TestData.Images(6, 3, classes, seed: 2);
        using var learner = new TorchLearner(new Mlp(9, [5], classes, Activation.Tanh), data, dtype: TorchSharp.torch.ScalarType.Float64);
        LabelNoise.Models.ParameterInitializer.Initialize(learner.Model, new RandomStream(4));
        var theta = learner.GetParameters();
        int[] batch = [1, 5];
        var expected = new double[theta.Length];
        for (int a = 0; a < classes; a++)
            for (int b = 0; b < classes; b++)
            {
                double weight = (a == data.Labels[1] ? 1 - p : p / (classes - 1)) * (b == data.Labels[5] ? 1 - p : p / (classes - 1));
                var g = Gradient(learner, theta, batch, new HardLabels([a, b]));
                for (int j = 0; j < g.Length; j++) expected[j] += weight * g[j];
            }
        var smoothed = Gradient(learner, theta, batch, new SmoothedLabels(batch.Select(i => data.Labels[i]).ToArray(), p));
        Assert.True(smoothed.Max(Math.Abs) > 1e-3, "a vanishing gradient would prove nothing");
        for (int j = 0; j < theta.Length; j++) Assert.True(Math.Abs(expected[j] - smoothed[j]) < 1e-12, $"parameter {j}: {expected[j]} vs {smoothed[j]}");
    }

    [Fact]
    public void OneStepCovarianceAtAnInterpolatingPointIsEtaSquaredSigmaSquaredOverBTimesG()
    {
        // At θ* with fᵢ(θ*) = yᵢ, the minibatch gradient vanishes and Δθ = (η/B) Σ εᵢ∇fᵢ:
        // Cov(Δθ) = η²σ²/B · G with G = (1/n) Σ ∇fᵢ∇fᵢᵀ (sampling with replacement).
        const int d = 3, n = 6, batchSize = 2, reps = 40000;
        const double eta = 0.1, sigma = 0.8;
        double[] w = [0.5, -1.0, 2.0];
        var data = TestData.Regression(n, d, seed: 9, weights: w);
        using var learner = new HandLearner(new LinearModel(d), data);
        var (sampler, noiseGenerator) = (new RandomStream(10), new RandomStream(11));
        var noise = new PlusMinusNoise(sigma);
        var moments = new double[reps, d * d];
        for (int r = 0; r < reps; r++)
        {
            learner.SetParameters(w);
            var batch = BatchSampler.WithReplacement(n, batchSize, sampler);
            learner.Step(batch, noise.Perturb(data, batch, noiseGenerator), eta, 0);
            var delta = learner.GetParameters().Select((t, j) => t - w[j]).ToArray();
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++) moments[r, a * d + b] = delta[a] * delta[b];
        }
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
            {
                double g = Enumerable.Range(0, n).Sum(i => data.Feature(i, a) * data.Feature(i, b)) / n;
                double predicted = eta * eta * sigma * sigma / batchSize * g;
                var samples = Enumerable.Range(0, reps).Select(r => moments[r, a * d + b]).ToArray();
                double mean = samples.Average();
                double standardError = Math.Sqrt(samples.Sum(s => (s - mean) * (s - mean)) / (reps - 1) / reps);
                Assert.True(Math.Abs(mean - predicted) < 5 * standardError, $"Cov[{a},{b}] = {mean} against η²σ²/B·G = {predicted} (standard error {standardError})");
            }
    }
}
