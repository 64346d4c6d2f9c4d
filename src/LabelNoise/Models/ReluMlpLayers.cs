using TorchSharp;
using static TorchSharp.torch;

namespace LabelNoise.Models;

/// <summary>
/// The Linear layers of a ReLU <see cref="Mlp"/> as plain tensors, for the passes LabelNoise writes
/// out with matrix products instead of an autograd graph (the Hessian-vector product, the SGD step).
/// With zₗ = aₗWₗᵀ + bₗ and aₗ₊₁ = relu(zₗ) (a₀ = x flattened to rows), a signal gₗ = ∂L/∂zₗ goes back
/// as gₗ₋₁ = (gₗWₗ) ⊙ 1[aₗ &gt; 0] — the mask ReLU's backward uses.
/// </summary>
internal sealed class ReluMlpLayers
{
    ReluMlpLayers((Tensor Weight, Tensor Bias)[] layers) => Layers = layers;

    /// <summary>The layers of <paramref name="model"/> when it is a ReLU <see cref="Mlp"/> whose layers all have biases; null otherwise.</summary>
    public static ReluMlpLayers? Of(nn.Module<Tensor, Tensor> model)
    {
        if (model is not Mlp { Activation: Activation.Relu } mlp) return null;
        var linears = mlp.Linears;
        if (linears.Any(l => l.bias is null)) return null;
        return new ReluMlpLayers(linears.Select(l => ((Tensor)l.weight!, (Tensor)l.bias!)).ToArray());
    }

    public IReadOnlyList<(Tensor Weight, Tensor Bias)> Layers { get; }
    public int Depth => Layers.Count;

    /// <summary>
    /// Where each layer's weight and bias sit in <paramref name="parameters"/> (matched by native handle), or null
    /// unless the parameters are exactly the layers' (so that a written-out pass covers every one).
    /// </summary>
    public (int Weight, int Bias)[]? IndicesIn(IReadOnlyList<Tensor> parameters)
    {
        if (parameters.Count != 2 * Depth) return null;
        var handles = parameters.Select(p => p.Handle).ToList();
        var indices = Layers.Select(l => (handles.IndexOf(l.Weight.Handle), handles.IndexOf(l.Bias.Handle))).ToArray();
        return indices.Any(i => i.Item1 < 0 || i.Item2 < 0) ? null : indices;
    }

    /// <summary>The forward pass (call without a graph): returns the output and fills <paramref name="inputs"/>[l] with aₗ.</summary>
    public Tensor Forward(Tensor x, Tensor[] inputs)
    {
        inputs[0] = x.reshape(x.shape[0], -1);
        for (int l = 0; ; l++)
        {
            var z = addmm(Layers[l].Bias, inputs[l], Layers[l].Weight.t(), 1, 1);
            if (l == Depth - 1) return z;
            inputs[l + 1] = z.relu_();
        }
    }

    /// <summary>1[aₗ &gt; 0] in aₗ's dtype (aₗ ≥ 0 after the ReLU, so its sign).</summary>
    public static Tensor Mask(Tensor input) => input.sign();

    /// <summary>gₗ₋₁ = (gₗWₗ) ⊙ <paramref name="mask"/> (the mask of aₗ, layer l's input).</summary>
    public Tensor SignalBelow(int l, Tensor signal, Tensor mask) => mm(signal, Layers[l].Weight).mul_(mask);

    /// <summary>∂loss/∂output by autograd through <paramref name="loss"/> alone (the caller's own loss, so it is defined once); the loss's value in <paramref name="value"/>.</summary>
    public static Tensor OutputGradient(Tensor output, Func<Tensor, Tensor> loss, out double value)
    {
        var leaf = output.detach().requires_grad_(true);
        using var grad = enable_grad();
        var l = loss(leaf);
        value = l.ToDouble();
        return autograd.grad([l], [leaf])[0];
    }
}
