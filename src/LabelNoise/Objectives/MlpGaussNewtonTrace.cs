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
/// tr G = (1/n) Σᵢ tr(SᵢᵀJᵢJᵢᵀSᵢ) with Aᵢ = SᵢSᵢᵀ: S = diag(√p) − p√pᵀ for cross entropy, I for squared error (the
/// factorization BackPACK's DiagGGNExact uses). For layer l, the gradient of output c is δ_cᵀaₗ for Wₗ and δ_c for bₗ
/// (δ_c = ∂f_c/∂zₗ, aₗ the layer's input), so the layer's part is (‖aₗ‖² + 1)·‖Δₗ‖_F² with Δₗ = [δ_c]·Sᵢ, the
/// columns of S back-propagated as one [C, rows, width] signal: C back-propagations, no weight gradients.
/// </para>
/// <para>
/// Arithmetic is in the model's dtype (float32 for a float32 model, as the model itself computes); only the sums
/// over examples and chunks are float64. Against the float64 computation of the same float32 parameters this
/// changes the trace by about 1e-7 relative, far below any estimator's error, and costs a third of the time.
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
                // Sᵢ's columns as signals at the outputs: [outputs, rows, outputs].
                var signal = owner.IsClassification ? SoftmaxFactor(output) : eye(output.shape[1], dtype: output.dtype).unsqueeze(1).expand(output.shape[1], output.shape[0], output.shape[1]);
                for (int l = depth - 1; l >= 0; l--)
                {
                    var perExample = linalg.vector_norm(signal, 2, [0, 2]).pow_(2); // ‖Δₗ‖_F² per example
                    var squaredInputs = linalg.vector_norm(inputs[l], 2, [1]).pow_(2);
                    weightTraces[l] += perExample.dot(squaredInputs).to_type(ScalarType.Float64).ToDouble();
                    biasTraces[l] += perExample.sum(ScalarType.Float64).ToDouble();
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

    /// <summary>
    /// The columns of S = diag(√p) − p√pᵀ per example (SSᵀ = diag(p) − ppᵀ, the softmax cross entropy's Hessian in the
    /// outputs at any label smoothing) as [outputs, rows, outputs]: entry [k, i, c] = S_i[c, k].
    /// </summary>
    static Tensor SoftmaxFactor(Tensor output)
    {
        var p = nn.functional.softmax(output, 1); // [rows, outputs]
        var root = p.sqrt();
        return diag_embed(root).sub_(p.unsqueeze(2).mul(root.unsqueeze(1))).permute(2, 0, 1).contiguous();
    }
}
