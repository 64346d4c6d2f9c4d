using LabelNoise.Curvature;
using LabelNoise.Models;
using static TorchSharp.torch;
using LabelNoise.Native;

namespace LabelNoise.Objectives;

/// <summary>
/// ∇²L·v of a ReLU <see cref="Mlp"/>'s loss by Pearlmutter's R-operator, written out with matrix
/// products instead of differentiating the gradient graph: no autograd graph, and every product
/// lands in place (addmm with β = 0 or 1). With zₗ = aₗWₗᵀ + bₗ, aₗ₊₁ = relu(zₗ), gₗ = ∂L/∂zₗ and
/// the direction (Vₗ, cₗ):
/// <code>
///   forward   R zₗ = aₗVₗᵀ + cₗ + (R aₗ)Wₗᵀ,   R aₗ₊₁ = R zₗ ⊙ 1[zₗ &gt; 0]
///   loss      R g = (1/n)(s ⊙ R z − s (sᵀR z))   (cross entropy, any smoothing; s = softmax)
///             R g = (1/n) R z                       (½(f − y)²)
///   backward  (∇²L v)_Wₗ = (R gₗ)ᵀaₗ + gₗᵀ(R aₗ),   (∇²L v)_bₗ = Σᵢ R gₗ,
///             R gₗ₋₁ = (R gₗ Wₗ + gₗ Vₗ) ⊙ 1[zₗ₋₁ &gt; 0]
/// </code>
/// (ReLU's second derivative is zero almost everywhere, as autograd takes it.) Per chunk it keeps
/// aₗ, the masks, gₗ and s of the current point (<see cref="ChunkStates{T}"/>: kept while there are
/// few chunks, recomputed per product otherwise).
/// </summary>
public sealed class MlpHessianOperator : ILinearOperator, IDisposable
{
    readonly TorchObjective owner;
    readonly ReluMlpLayers mlp;
    readonly Tensor directionFlat, productFlat;
    readonly (Tensor Weight, Tensor Bias)[] direction, product;
    readonly ChunkStates<ChunkState> states;

    MlpHessianOperator(TorchObjective owner, ReluMlpLayers mlp, (int Weight, int Bias)[] indices)
    {
        this.owner = owner;
        this.mlp = mlp;
        directionFlat = zeros(owner.Dimension, dtype: owner.DType);
        productFlat = zeros(owner.Dimension, dtype: owner.DType);
        direction = Views(directionFlat);
        product = Views(productFlat);
        states = new(owner, chunk => new ChunkState(this, chunk), state => state.Dispose());

        (Tensor, Tensor)[] Views(Tensor flat) => mlp.Layers.Select((layer, l) => (
            flat.narrow(0, owner.Blocks[indices[l].Weight].Offset, layer.Weight.numel()).view(layer.Weight.shape),
            flat.narrow(0, owner.Blocks[indices[l].Bias].Offset, layer.Bias.numel()))).ToArray();
    }

    /// <summary>The written-out operator when the objective's model is a ReLU MLP whose every parameter is a Linear layer's; null otherwise.</summary>
    public static MlpHessianOperator? TryCreate(TorchObjective owner)
    {
        if (owner.DType is not (ScalarType.Float32 or ScalarType.Float64)) return null;
        var mlp = ReluMlpLayers.Of(owner.Model);
        var indices = mlp?.IndicesIn(owner.ParameterTensors);
        return indices is null ? null : new MlpHessianOperator(owner, mlp!, indices);
    }

    public int Dimension => owner.Dimension;

    public void Apply(ReadOnlySpan<double> v, Span<double> result)
    {
        if (v.Length != Dimension || result.Length != Dimension) throw new ArgumentException($"vectors must have {Dimension} entries");
        TorchObjective.Fill([directionFlat], v);
        using (no_grad())
        {
            for (int c = 0; c < owner.ChunkCount; c++)
            {
                var state = states.Get(c);
                try { AddChunk(state, assign: c == 0); }
                finally { states.Done(state); }
            }
        }
        TorchObjective.AddTo(productFlat, result, assign: true);
    }

    /// <summary>Adds the chunk's product to <see cref="product"/> (or writes it, for the first chunk).</summary>
    void AddChunk(ChunkState state, bool assign)
    {
        using var scope = NewDisposeScope();
        var layers = mlp.Layers;
        int depth = layers.Count;
        var changes = new Tensor?[depth]; // R aₗ (R a₀ = 0: the inputs are data)
        Tensor rz = null!;
        for (int l = 0; l < depth; l++)
        {
            rz = addmm(direction[l].Bias, state.Inputs[l], direction[l].Weight.t(), 1, 1);
            if (changes[l] is { } ra) rz.addmm_(ra, layers[l].Weight.t());
            if (l < depth - 1) changes[l + 1] = rz.mul_(state.Masks[l + 1]!);
        }
        var rg = rz;
        if (state.Softmax is { } s)
        {
            var weighted = rz.mul(s);
            rg = weighted.sub_(s.mul(weighted.sum(1, keepdim: true)));
        }
        using (var count = KeptScalar.Of(owner.ExampleCount)) rg.div_(count);
        for (int l = depth - 1; l >= 0; l--)
        {
            product[l].Weight.addmm_(rg.t(), state.Inputs[l], beta: assign ? 0 : 1);
            if (changes[l] is { } ra) product[l].Weight.addmm_(state.Signals[l].t(), ra);
            var biasPart = rg.sum(0, keepdim: false); // (a bare sum(0) would be the total in ScalarType 0, bytes)
            if (assign) product[l].Bias.copy_(biasPart);
            else product[l].Bias.add_(biasPart, KeptScalar.One);
            if (l > 0) rg = mm(rg, layers[l].Weight).addmm_(state.Signals[l], direction[l].Weight).mul_(state.Masks[l]!);
        }
    }

    public void Dispose()
    {
        states.Dispose();
        foreach (var (w, b) in direction.Concat(product)) { w.Dispose(); b.Dispose(); }
        directionFlat.Dispose();
        productFlat.Dispose();
    }

    /// <summary>
    /// What the product needs of the point on one chunk: the layers' inputs aₗ, the ReLU masks
    /// 1[zₗ &gt; 0], the signals gₗ = ∂L/∂zₗ and, for classification, the softmax s.
    /// </summary>
    sealed class ChunkState : IDisposable
    {
        /// <summary>aₗ; a₀ is the chunk's features as rows.</summary>
        public Tensor[] Inputs { get; }
        /// <summary>1[aₗ &gt; 0]; entry 0 (the data) is unused.</summary>
        public Tensor?[] Masks { get; }
        public Tensor[] Signals { get; }
        public Tensor? Softmax { get; }

        public ChunkState(MlpHessianOperator op, int chunk)
        {
            var (owner, mlp) = (op.owner, op.mlp);
            int depth = mlp.Depth;
            using var scope = NewDisposeScope();
            var (features, start, length) = owner.ChunkFeatures(chunk);
            Inputs = new Tensor[depth];
            Signals = new Tensor[depth];
            var output = mlp.Forward(features, Inputs);
            Masks = Inputs.Select((a, l) => l == 0 ? null : ReluMlpLayers.Mask(a)).ToArray();
            Signals[depth - 1] = ReluMlpLayers.OutputGradient(output, z => owner.OutputLoss(z, start, length), out _);
            if (owner.IsClassification) Softmax = nn.functional.softmax(output, 1);
            for (int l = depth - 1; l > 0; l--) Signals[l - 1] = mlp.SignalBelow(l, Signals[l], Masks[l]!);
            foreach (var t in All) t.MoveToOuterDisposeScope();
        }

        IEnumerable<Tensor> All => Inputs.Concat(Masks.OfType<Tensor>()).Concat(Signals).Concat(Softmax is null ? [] : [Softmax]);

        public void Dispose()
        {
            foreach (var t in All) t.Dispose();
        }
    }
}
