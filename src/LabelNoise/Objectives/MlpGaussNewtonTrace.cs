using LabelNoise.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelNoise.Objectives;

/// <summary>
/// tr ∇²L of a ReLU <see cref="Mlp"/>'s loss exactly, per parameter block, in about one Hessian-vector
/// product's arithmetic.
/// <para>
/// ∇²L = G + (1/n) Σᵢ Σ_c (∂ℓᵢ/∂f_c)·∇²f_ic with G = (1/n) Σᵢ JᵢᵀAᵢJᵢ the Gauss–Newton matrix (Aᵢ the
/// loss's Hessian in the outputs: diag(p) − ppᵀ for cross entropy at any smoothing, 1 for ½(f − y)²).
/// With the activation pattern fixed (ReLU's second derivative is zero almost everywhere, as autograd
/// takes it), each output is affine in any one layer's (Wₗ, bₗ), so every diagonal block of ∇²f_ic is zero
/// and each diagonal block of ∇²L equals G's (Botev, Ritter, Barber 2017 note this for piecewise-linear
/// networks): tr ∇²L = tr G, block by block.
/// </para>
/// <para>
/// tr G = (1/n) Σᵢ tr(AᵢJᵢJᵢᵀ). For layer l, the gradient of output c is δ_cᵀaₗ for Wₗ and δ_c for bₗ, with
/// δ_c = ∂f_c/∂zₗ back-propagated from e_c and aₗ the layer's input, so the layer's part of JᵢJᵢᵀ is
/// (‖aₗ‖² + 1)·⟨δ_c, δ_d⟩ and tr(AᵢJᵢJᵢᵀ) = Σ_c p_c‖δ_c‖² − ‖Σ_c p_cδ_c‖² (cross entropy) or ‖δ‖² (squared
/// error): C back-propagations of signals, no weight gradients.
/// </para>
/// </summary>
internal static class MlpGaussNewtonTrace
{
    /// <summary>The exact traces when the objective's model is a ReLU MLP whose parameters are its layers'; null otherwise.</summary>
    public static ExactTrace? TryCompute(TorchObjective owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var mlp = ReluMlpLayers.Of(owner.Model);
        var indices = mlp?.IndicesIn(owner.ParameterTensors);
        if (mlp is null || indices is null) return null;
        int depth = mlp.Depth;
        var weightTraces = new double[depth];
        var biasTraces = new double[depth];
        using (no_grad())
        {
            for (int chunk = 0; chunk < owner.ChunkCount; chunk++)
            {
                using var scope = NewDisposeScope();
                var (features, _, _) = owner.ChunkFeatures(chunk);
                var inputs = new Tensor[depth];
                var output = mlp.Forward(features, inputs);
                int rows = (int)output.shape[0], outputs = (int)output.shape[1];
                var probabilities = owner.IsClassification ? nn.functional.softmax(output.to_type(ScalarType.Float64), 1) : null;
                // δ for every output at once: [outputs, rows, width], starting from e_c at the last layer.
                var signal = eye(outputs, dtype: output.dtype).unsqueeze(1).expand(outputs, rows, outputs);
                for (int l = depth - 1; l >= 0; l--)
                {
                    var perExample = SignalTrace(signal.to_type(ScalarType.Float64), probabilities); // tr(Aᵢ ⟨δ_c, δ_d⟩) per example
                    var squaredInputs = inputs[l].to_type(ScalarType.Float64).square().sum(1, keepdim: false);
                    weightTraces[l] += perExample.mul(squaredInputs).sum().ToDouble();
                    biasTraces[l] += perExample.sum().ToDouble();
                    if (l > 0) signal = signal.matmul(mlp.Layers[l].Weight).mul_(ReluMlpLayers.Mask(inputs[l]));
                }
            }
        }
        double n = owner.ExampleCount;
        var blocks = new (string, double)[owner.Blocks.Count];
        for (int l = 0; l < depth; l++)
        {
            blocks[indices[l].Weight] = (owner.Blocks[indices[l].Weight].Name, weightTraces[l] / n);
            blocks[indices[l].Bias] = (owner.Blocks[indices[l].Bias].Name, biasTraces[l] / n);
        }
        return new ExactTrace(blocks.Sum(b => b.Item2), blocks,
            "tr ∇²L = tr G for a ReLU MLP (each layer's diagonal block of ∇²f is zero), tr G from the per-example output-gradient Gram matrices");
    }

    /// <summary>Per example: Σ_c p_c‖δ_c‖² − ‖Σ_c p_cδ_c‖² (p: [rows, outputs]), or ‖δ‖² summed over outputs for regression (p null).</summary>
    static Tensor SignalTrace(Tensor signal, Tensor? probabilities)
    {
        var squared = signal.square().sum(2, keepdim: false); // [outputs, rows]
        if (probabilities is null) return squared.sum(0, keepdim: false);
        var weights = probabilities.t(); // [outputs, rows]
        var mean = signal.mul(weights.unsqueeze(2)).sum(0, keepdim: false); // [rows, width]
        return squared.mul(weights).sum(0, keepdim: false).sub_(mean.square().sum(1, keepdim: false));
    }
}
