using LabelNoise.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelNoise.Models;

/// <summary>
/// Initializes a network's parameters from our generator, with PyTorch's default scheme: weights
/// and biases of Linear and Conv layers uniform in ±1/√fan_in, normalization scales 1 and shifts 0.
/// Nothing is seeded globally, so two models built from equal generators are equal.
/// </summary>
public static class ParameterInitializer
{
    public static void Initialize(nn.Module module, RandomStream generator)
    {
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            int dot = name.LastIndexOf('.');
            string owner = dot < 0 ? "" : name[..(dot + 1)];
            parameters.TryGetValue(owner + "weight", out var weight);
            var values = new double[parameter.numel()];
            if (weight is not null && weight.dim() >= 2)
            {
                long fanIn = weight.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
                double bound = 1.0 / Math.Sqrt(fanIn);
                for (int i = 0; i < values.Length; i++) values[i] = bound * (2 * generator.NextDouble() - 1);
            }
            else if (name.EndsWith("weight", StringComparison.Ordinal))
                Array.Fill(values, 1.0);
            else if (!name.EndsWith("bias", StringComparison.Ordinal))
                continue; // a parameter of a custom module (linear, quadratic) keeps its documented default
            using var source = tensor(values, dtype: ScalarType.Float64).to_type(parameter.dtype).reshape(parameter.shape);
            parameter.copy_(source);
        }
    }
}
