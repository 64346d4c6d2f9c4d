using System.Diagnostics;

namespace LabelNoise.Benchmarks;

/// <summary>
/// How to time a workload: <see cref="Warmups"/> untimed repeats first (caches, allocator, libtorch's
/// first-call setup) and more until <see cref="MinWarmupSeconds"/> have passed, then
/// <see cref="Repeats"/> timed repeats of <see cref="IterationsPerRepeat"/> iterations each; a sample
/// is a repeat's time divided by its iterations, so that workloads far shorter than the clock's
/// resolution are timed in bulk. The warm-up time is for .NET's tiered JIT: it recompiles hot methods
/// on a background thread from ~0.1 s after they start running, and with warm-up by count alone that
/// compilation fell into the timed repeats of the MLP workloads (samples up to 2× the median, median
/// +3–5 %; <c>DOTNET_TieredCompilation=0</c> removed both). The PyTorch peer warms up by the same rule.
/// </summary>
public sealed record TimingPlan
{
    public TimingPlan(int warmups, int repeats, int iterationsPerRepeat = 1, double minWarmupSeconds = 0)
    {
        if (warmups < 0) throw new ArgumentOutOfRangeException(nameof(warmups), warmups, "the number of warm-up repeats must be ≥ 0");
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), repeats, "at least one timed repeat is needed");
        if (iterationsPerRepeat < 1) throw new ArgumentOutOfRangeException(nameof(iterationsPerRepeat), iterationsPerRepeat, "a repeat needs at least one iteration");
        if (!(minWarmupSeconds >= 0) || double.IsInfinity(minWarmupSeconds))
            throw new ArgumentOutOfRangeException(nameof(minWarmupSeconds), minWarmupSeconds, "the warm-up time must be finite and ≥ 0");
        Warmups = warmups;
        Repeats = repeats;
        IterationsPerRepeat = iterationsPerRepeat;
        MinWarmupSeconds = minWarmupSeconds;
    }

    public int Warmups { get; }
    public int Repeats { get; }
    public int IterationsPerRepeat { get; }
    public double MinWarmupSeconds { get; }
}

/// <summary>Times an iteration with warm-up and repeats: <see cref="TimingPlan"/> → <see cref="TimingSummary"/>.</summary>
public static class RepeatedTiming
{
    /// <summary>Runs <paramref name="iteration"/> as the plan says and summarizes the timed repeats (ms per iteration).</summary>
    public static TimingSummary Measure(Action iteration, TimingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(iteration);
        ArgumentNullException.ThrowIfNull(plan);
        long warmupStart = Stopwatch.GetTimestamp();
        for (int w = 0; w < plan.Warmups || Stopwatch.GetElapsedTime(warmupStart).TotalSeconds < plan.MinWarmupSeconds; w++)
            for (int i = 0; i < plan.IterationsPerRepeat; i++) iteration();
        var samples = new double[plan.Repeats];
        for (int r = 0; r < plan.Repeats; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < plan.IterationsPerRepeat; i++) iteration();
            samples[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds / plan.IterationsPerRepeat;
        }
        return TimingSummary.FromSamples(samples);
    }
}
