using static TorchSharp.torch;

namespace LabelNoise.Models;

/// <summary>A list of tensors (parameters, momentum buffers) as one flat float64 vector, in order, and back.</summary>
public static class FlatParameters
{
    public static int Count(IEnumerable<Tensor> tensors) => (int)tensors.Sum(t => t.numel());

    public static double[] Read(IEnumerable<Tensor> tensors)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return cat(tensors.Select(t => t.detach().reshape(-1).to_type(ScalarType.Float64)).ToArray()).data<double>().ToArray();
    }

    /// <summary>Copies <paramref name="values"/> into the tensors in place (each keeps its dtype and shape).</summary>
    public static void Write(IReadOnlyList<Tensor> tensors, ReadOnlySpan<double> values)
    {
        int count = Count(tensors);
        if (values.Length != count) throw new ArgumentException($"the model has {count} parameters, not {values.Length}");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int offset = 0;
        foreach (var t in tensors)
        {
            int n = (int)t.numel();
            t.copy_(tensor(values.Slice(offset, n).ToArray()).to_type(t.dtype).reshape(t.shape));
            offset += n;
        }
    }
}
