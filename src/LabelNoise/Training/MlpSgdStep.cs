using LabelNoise.Models;
using static TorchSharp.torch;
using LabelNoise.Native;

namespace LabelNoise.Training;

/// <summary>
/// <see cref="TorchLearner"/>'s SGD step for a ReLU <see cref="Mlp"/>, written out (notation of
/// <see cref="ReluMlpLayers"/>): the forward pass without a graph, ∂loss/∂output by autograd through
/// the learner's loss alone, then layer by layer from the head: gₗ₋₁ from the weights before their
/// update, and the update fused into the product that makes the gradient — plain SGD
/// W ← W − η·gₗᵀaₗ in one addmm; heavy ball v ← βv + gₗᵀaₗ in one addmm, then W ← W − ηv (PyTorch's
/// update, as the autograd path). No gradient tensors and no graph; the same step as autograd's up to
/// float rounding. The parameters' <c>.grad</c> is left as it was.
/// </summary>
sealed class MlpSgdStep(ReluMlpLayers mlp, (Tensor Weight, Tensor Bias)[] velocity)
{
    /// <summary>The written-out step for the learner's model and its velocity buffers (in parameter order), or null when the model is not a ReLU MLP.</summary>
    public static MlpSgdStep? TryCreate(nn.Module<Tensor, Tensor> model, IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor> velocity)
    {
        var mlp = ReluMlpLayers.Of(model);
        var indices = mlp?.IndicesIn(parameters);
        return indices is null ? null : new MlpSgdStep(mlp!, indices.Select(i => (velocity[i.Weight], velocity[i.Bias])).ToArray());
    }

    /// <summary>One step on the batch's features x; <paramref name="loss"/> maps the outputs to the batch's mean loss. Returns that loss (before the update).</summary>
    public double Step(Tensor x, Func<Tensor, Tensor> loss, double learningRate, double momentum)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var inputs = new Tensor[mlp.Depth];
        var signal = ReluMlpLayers.OutputGradient(mlp.Forward(x, inputs), loss, out double value);
        using var step = KeptScalar.Of(-learningRate);
        using var beta = KeptScalar.Of(momentum);
        for (int l = mlp.Depth - 1; l >= 0; l--)
        {
            var (weight, bias) = mlp.Layers[l];
            var below = l > 0 ? mlp.SignalBelow(l, signal, ReluMlpLayers.Mask(inputs[l])) : null;
            if (weight.dtype == ScalarType.Float32 && momentum == 0)
                weight.addmm_(signal.t(), inputs[l], beta: 1, alpha: (float)-learningRate);
            else if (weight.dtype == ScalarType.Float32)
            {
                velocity[l].Weight.addmm_(signal.t(), inputs[l], beta: (float)momentum, alpha: 1);
                weight.add_(velocity[l].Weight, alpha: step);
            }
            else // addmm_ takes η and β as float32, exact for float32 weights only: other dtypes form the gradient first
                TorchLearner.HeavyBall(weight, mm(signal.t(), inputs[l]), velocity[l].Weight, step, beta, momentum);
            TorchLearner.HeavyBall(bias, signal.sum(0, keepdim: false), velocity[l].Bias, step, beta, momentum);
            if (below is not null) signal = below;
        }
        return value;
    }
}
