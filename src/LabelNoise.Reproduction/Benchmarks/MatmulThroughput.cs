using TorchSharp;
using static TorchSharp.torch;
using LabelNoise.Randomness;

namespace LabelNoise.Benchmarks;

/// <summary>The machine's attainable float32 FLOP/s in TorchSharp: a square matmul (2·n³ flops).</summary>
public sealed record MatmulResult(int Size, TimingSummary Timing)
{
    public double Flops => 2.0 * Size * Size * Size;
    public double Gflops => Flops / (Timing.MedianMilliseconds * 1e6);
}

/// <summary>Times an n×n matmul (float32 unless asked) with libtorch's BLAS on the threads set for the benchmark.</summary>
public static class MatmulThroughput
{
    public static MatmulResult Measure(int size, TimingPlan plan, RandomStream generator, ScalarType dtype = ScalarType.Float32)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "the matrix size must be ≥ 1");
        ArgumentNullException.ThrowIfNull(generator);
        using var a = RandomMatrix(size, generator, dtype);
        using var b = RandomMatrix(size, generator, dtype);
        var timing = RepeatedTiming.Measure(() =>
        {
            using var scope = NewDisposeScope();
            a.matmul(b);
        }, plan);
        return new MatmulResult(size, timing);
    }

    static Tensor RandomMatrix(int size, RandomStream generator, ScalarType dtype)
    {
        var values = new float[size * size];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(2 * generator.NextDouble() - 1);
        using var scope = NewDisposeScope();
        return tensor(values).reshape(size, size).to_type(dtype).MoveToOuterDisposeScope();
    }
}
