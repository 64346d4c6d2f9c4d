using LabelNoise.Curvature;

namespace LabelNoise.Benchmarks;

/// <summary>
/// Repeated timings of one workload, in milliseconds per iteration: the median (the mean of the two
/// middle samples for an even count), the fastest and slowest sample, and the samples themselves in
/// the order they were taken.
/// </summary>
public sealed record TimingSummary
{
    TimingSummary(double[] samples, double median)
    {
        Samples = samples;
        MedianMilliseconds = median;
        MinMilliseconds = samples.Min();
        MaxMilliseconds = samples.Max();
    }

    public double MedianMilliseconds { get; }
    public double MinMilliseconds { get; }
    public double MaxMilliseconds { get; }
    public IReadOnlyList<double> Samples { get; }
    public int Repeats => Samples.Count;

    /// <summary>(max − min)/median: the spread of the samples relative to their median (0 for one sample).</summary>
    public double RelativeSpread => MedianMilliseconds > 0 ? (MaxMilliseconds - MinMilliseconds) / MedianMilliseconds : 0;

    /// <summary>The summary of the given per-iteration times (the input is copied, not modified).</summary>
    public static TimingSummary FromSamples(IEnumerable<double> milliseconds)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        var samples = milliseconds.ToArray();
        if (samples.Length == 0) throw new ArgumentException("at least one timing sample is needed", nameof(milliseconds));
        for (int i = 0; i < samples.Length; i++)
            if (!(samples[i] >= 0) || double.IsInfinity(samples[i]))
                throw new ArgumentOutOfRangeException(nameof(milliseconds), samples[i], $"timing sample {i} must be finite and non-negative");
        return new TimingSummary(samples, Vectors.Median(samples));
    }
}
