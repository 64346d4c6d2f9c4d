using LabelNoise.Data;
using static TorchSharp.torch;

namespace LabelNoise.Models;

/// <summary>A data set's features and labels as tensors, for the modules that train on them or are measured on them.</summary>
internal static class DataTensors
{
    /// <summary>
    /// The features of the first <paramref name="count"/> examples (all by default), shaped [count, sample shape…], in
    /// <paramref name="dtype"/>: a copy in libtorch's own (64-byte aligned) memory, since BLAS kernels round differently on
    /// differently aligned inputs, and results must not depend on where .NET put an array.
    /// </summary>
    public static Tensor Features(Dataset data, ScalarType dtype, int? count = null)
    {
        int n = count ?? data.Count;
        long[] shape = [n, .. data.SampleShape.Select(s => (long)s)];
        using var scope = NewDisposeScope();
        return (data switch
        {
            ClassificationDataset c => tensor(n == c.Count ? c.Features : c.Features.AsSpan(0, n * c.FeatureCount).ToArray()),
            RegressionDataset r => tensor(n == r.Count ? r.Features : r.Features.AsSpan(0, n * r.FeatureCount).ToArray()),
            _ => throw new ArgumentException($"unsupported data set type {data.GetType().Name}", nameof(data)),
        }).reshape(shape).to_type(dtype).clone().MoveToOuterDisposeScope();
    }

    /// <summary>The class labels of the first <paramref name="count"/> examples (all by default), as int64.</summary>
    public static Tensor Labels(ClassificationDataset data, int? count = null) =>
        tensor(data.Labels.Take(count ?? data.Count).Select(l => (long)l).ToArray());
}
