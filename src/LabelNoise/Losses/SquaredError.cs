using static TorchSharp.torch;
using LabelNoise.Native;

namespace LabelNoise.Losses;

/// <summary>The paper's regression loss: ℓᵢ = ½(fᵢ − yᵢ)², L = mean over examples.</summary>
public static class SquaredError
{
    public static double Of(double prediction, double target)
    {
        double r = prediction - target;
        return 0.5 * r * r;
    }

    /// <summary>Mean of ½(f − y)² over a batch (tensors of shape [B]).</summary>
    public static Tensor Mean(Tensor predictions, Tensor targets)
    {
        using var half = KeptScalar.Of(0.5);
        return (predictions - targets).square().mean().mul(half);
    }

    /// <summary>Sum of ½(f − y)², for accumulating over chunks.</summary>
    public static Tensor Sum(Tensor predictions, Tensor targets)
    {
        using var half = KeptScalar.Of(0.5);
        return (predictions - targets).square().sum().mul(half);
    }
}
