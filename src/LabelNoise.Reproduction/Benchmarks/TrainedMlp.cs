using System.Globalization;
using System.Runtime.InteropServices;
using LabelNoise.Data;
using LabelNoise.Objectives;
using static TorchSharp.torch;
using LabelNoise.Randomness;
using LabelNoise.Files;

namespace LabelNoise.Benchmarks;

/// <summary>
/// The curvature workloads' trained point (trace-rse, regularizer-rse, estimator-convergence): the benchmark's
/// MLP 784-512-512-10 trained by label-flip SGD (<see cref="MlpFixture.TrainedParameters"/>: p, B, η and
/// steps from <see cref="BenchSettings"/>) on <see cref="BenchSettings.RseTrainExamples"/> Fashion-MNIST
/// images, and its smoothed loss on a class-balanced <see cref="BenchSettings.RseExamples"/> of them. The
/// trained parameters are cached in the temporary folder (keyed by every setting that shapes them), so that
/// repeated benchmarks skip the training; <see cref="Describe"/> says how the point was made.
/// </summary>
public sealed class TrainedMlp : IDisposable
{
    public TrainedMlp(BenchContext context)
    {
        var s = context.Settings;
        Train = context.RseTrain;
        var indices = ClassBalancedSubset.Select(Train.Labels, Train.ClassCount, Math.Min(s.RseExamples, Train.Count), new RandomStream(s.Seed + 2));
        Evaluation = Train.Subset(indices, $"{Train.Name}[{indices.Length} of {Train.Count}]");
        var (parameters, cached) = Parameters(s, Train);
        FromCache = cached;
        Model = MlpFixture.CreateModel(Evaluation, s.Seed);
        Objective = new TorchObjective(Model, Evaluation, s.FlipProbability);
        Objective.SetParameters(parameters);
    }

    public ClassificationDataset Train { get; }
    public ClassificationDataset Evaluation { get; }
    public nn.Module<Tensor, Tensor> Model { get; }
    public TorchObjective Objective { get; }
    public bool FromCache { get; }

    public static string Describe(BenchSettings s) => string.Create(CultureInfo.InvariantCulture,
        $"MLP 784-512-512-10 (float32) trained {s.RseTrainingSteps:N0} steps of label-flip SGD (p = {s.FlipProbability}, B = {s.RseTrainingBatch}, η = {s.RseTrainingRate}) from the benchmark's initialization on {s.RseTrainExamples:N0} Fashion-MNIST training images; L on a class-balanced {s.RseExamples:N0} of them, smoothed at p");

    static string CacheFile(BenchSettings s, Dataset data) => Path.Combine(Path.GetTempPath(), "labelnoise-bench", string.Create(CultureInfo.InvariantCulture,
        $"mlp-{data.Name.Replace('/', '_')}-seed{s.Seed}-steps{s.RseTrainingSteps}-lr{s.RseTrainingRate}-b{s.RseTrainingBatch}-p{s.FlipProbability}.f64"));

    static (double[] Parameters, bool Cached) Parameters(BenchSettings s, ClassificationDataset train)
    {
        string file = CacheFile(s, train);
        long expected = 8L * (MlpFixture.WeightCount + 512 + 512 + MlpFixture.Classes);
        if (File.Exists(file) && new FileInfo(file).Length == expected)
            return (MemoryMarshal.Cast<byte, double>(File.ReadAllBytes(file)).ToArray(), true);
        var parameters = MlpFixture.TrainedParameters(train, s.Seed, s.RseTrainingSteps, s.RseTrainingRate, s.RseTrainingBatch, s.FlipProbability);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        AtomicFile.WriteAllBytes(file, MemoryMarshal.AsBytes(parameters.AsSpan()).ToArray());
        return (parameters, false);
    }

    /// <summary>
    /// Writes the point for the PyTorch peer into <paramref name="folder"/>: parameters.f32 (the blocks in
    /// the objective's order, each row-major), features.f32 (the evaluation images, rows of 784) and
    /// labels.i64; returns the blocks' names and shapes in that order.
    /// </summary>
    public IReadOnlyList<(string Name, long[] Shape)> WriteForPeer(string folder)
    {
        Directory.CreateDirectory(folder);
        var parameters = Objective.GetParameters().Select(x => (float)x).ToArray();
        AtomicFile.WriteAllBytes(Path.Combine(folder, "parameters.f32"), MemoryMarshal.AsBytes(parameters.AsSpan()).ToArray());
        AtomicFile.WriteAllBytes(Path.Combine(folder, "features.f32"), MemoryMarshal.AsBytes(Evaluation.Features.AsSpan()).ToArray());
        var labels = Evaluation.Labels.Select(l => (long)l).ToArray();
        AtomicFile.WriteAllBytes(Path.Combine(folder, "labels.i64"), MemoryMarshal.AsBytes(labels.AsSpan()).ToArray());
        return Model.named_parameters().Select(p => (p.name, p.parameter.shape)).ToArray();
    }

    public void Dispose()
    {
        Objective.Dispose();
        Model.Dispose();
    }
}
