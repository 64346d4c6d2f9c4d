using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Noise;
using LabelNoise.Training;
using TorchSharp;
using static TorchSharp.torch;
using LabelNoise.Randomness;

namespace LabelNoise.Benchmarks;

/// <summary>
/// The benchmark's MLP, 784-512-512-10 with ReLU (the project's <see cref="Mlp"/>, initialized by
/// <see cref="ModelFactory"/>), and its examples: a class-balanced Fashion-MNIST subset where the
/// Debian package's files are installed, random 28×28 images with cycling labels otherwise.
/// </summary>
public static class MlpFixture
{
    public const int Side = 28;
    public const int Classes = 10;
    public const string ModelSpecText = "mlp:512,512,relu";
    static readonly int[] Widths = [Side * Side, 512, 512, Classes];

    /// <summary>Weights of the layers (biases left out): 784·512 + 512·512 + 512·10.</summary>
    public static long WeightCount => Enumerable.Range(0, Widths.Length - 1).Sum(k => (long)Widths[k] * Widths[k + 1]);

    /// <summary>Floating-point operations of one forward and backward pass: ≈ 6·B·(weights) (2 forward, 4 backward per weight).</summary>
    public static double FlopsPerStep(int batchSize) => 6.0 * batchSize * WeightCount;

    static long LayerWeights(int layer) => (long)Widths[layer] * Widths[layer + 1];

    /// <summary>
    /// The matmul operations of one Hessian-vector product by the R-operator (<see cref="Objectives.MlpHessianOperator"/>) on n
    /// examples, the point's activations kept: per weight of the first layer 4n (R z = a Vᵀ, and (R g)ᵀa); of every
    /// other layer 12n (two products each for R z, the weight part and the signal sent down).
    /// </summary>
    public static double FlopsPerHvp(int examples) =>
        examples * (4.0 * LayerWeights(0) + 12.0 * Enumerable.Range(1, Widths.Length - 2).Sum(LayerWeights));

    /// <summary>
    /// The matmul operations of the exact tr ∇²L on n examples by the GGN factorization: the forward pass (2n per
    /// weight) and C = 10 back-propagated signals through every layer above the first (2·C·n per weight).
    /// </summary>
    public static double FlopsPerExactTrace(int examples) =>
        examples * (2.0 * WeightCount + 2.0 * Classes * Enumerable.Range(1, Widths.Length - 2).Sum(LayerWeights));

    public static ClassificationDataset LoadData(int count, ulong seed)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "the MLP workloads need at least one example");
        var folder = DataSpec.DebianFashionMnistFolder;
        if (File.Exists(Path.Combine(folder, "train-images-idx3-ubyte.gz")))
        {
            try
            {
                var train = DataSpec.Parse("fashion-mnist").Load(new DataOptions { TrainSize = count, TestSize = 0, SubsetSeed = seed }).Train;
                return (ClassificationDataset)train;
            }
            catch (Exception e) when (e is DataFormatException or IOException or ArgumentException) { }
        }
        return RandomImages(count, seed);
    }

    /// <summary>Pixels uniform in [0, 1), labels 0, 1, …, 9, 0, 1, …</summary>
    public static ClassificationDataset RandomImages(int count, ulong seed)
    {
        var generator = new RandomStream(seed);
        var pixels = new float[count * Side * Side];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (float)generator.NextDouble();
        var labels = Enumerable.Range(0, count).Select(i => i % Classes).ToArray();
        return new ClassificationDataset($"random-images[{count}]", [1, Side, Side], pixels, labels, Classes);
    }

    /// <summary>
    /// The parameters label-flip SGD reaches from <see cref="CreateModel"/>'s initialization after
    /// <paramref name="steps"/> steps (batches with replacement, plain SGD), as a flat vector.
    /// </summary>
    public static double[] TrainedParameters(ClassificationDataset data, ulong seed, int steps, double learningRate, int batchSize, double flipProbability)
    {
        using var learner = new TorchLearner(CreateModel(data, seed), data, flipProbability);
        var root = new RandomStream(seed);
        var (sampler, noiseGenerator) = (root.Split(), root.Split());
        var noise = new LabelFlipNoise(flipProbability);
        for (int step = 0; step < steps; step++)
        {
            var batch = BatchSampler.WithReplacement(data.Count, batchSize, sampler);
            double loss = learner.Step(batch, noise.Perturb(data, batch, noiseGenerator), learningRate, 0);
            if (!double.IsFinite(loss)) throw new InvalidOperationException($"training the benchmark's MLP diverged at step {step} (batch loss {loss})");
        }
        return learner.GetParameters();
    }

    /// <summary>A freshly initialized network (float32) for the data.</summary>
    public static nn.Module<Tensor, Tensor> CreateModel(Dataset data, ulong seed) =>
        ModelFactory.Create(ModelSpec.Parse(ModelSpecText), data, "torch", new RandomStream(seed)).Network!;
}
