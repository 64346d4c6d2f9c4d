using TorchSharp;
using static TorchSharp.torch;

namespace LabelNoise.Native;

/// <summary>
/// Scalars for TorchSharp calls, made explicitly so that they live until the caller disposes them.
/// TorchSharp 0.107 turns a C# number into a native Scalar on the fly for <c>t / n</c>,
/// <c>add_(g, alpha: −η)</c> or <c>0.5 * t</c> and does not keep it alive during the native call:
/// a garbage collection at that moment frees it (seen as crashes, "Unknown scalar type", or silently
/// wrong values). Every tensor-by-number operation in LabelNoise goes through one of these:
/// <c>using var half = KeptScalar.Of(0.5); t.mul(half)</c>.
/// </summary>
public static class KeptScalar
{
    /// <summary>1, held for the life of the process: the alpha of every tensor sum (TorchSharp's own
    /// <c>a + b</c> and <c>add_(g)</c> pass a temporary 1 that is not kept alive; <c>a − b</c> takes no alpha).</summary>
    public static Scalar One { get; } = 1.0.ToScalar();

    public static Scalar Of(double value) => value.ToScalar();

    /// <summary>a + b with a kept alpha.</summary>
    public static Tensor Plus(Tensor a, Tensor b) => a.add(b, One);
}
