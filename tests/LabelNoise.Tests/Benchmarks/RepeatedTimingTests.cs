using LabelNoise.Benchmarks;

namespace LabelNoise.Tests.Benchmarks;

public class RepeatedTimingTests
{
    [Fact]
    public void RunsWarmupsAndRepeatsOfTheGivenIterations()
    {
        int calls = 0;
        var summary = RepeatedTiming.Measure(() => calls++, new TimingPlan(warmups: 2, repeats: 3, iterationsPerRepeat: 4));
        Assert.Equal((2 + 3) * 4, calls);
        Assert.Equal(3, summary.Repeats);
    }

    [Fact]
    public void WarmupGoesOnUntilItsMinimumTime()
    {
        // 1 warm-up repeat asked for, but ≥ 60 ms of them: more warm-ups, and the one timed repeat (the last call)
        // starts only after 60 ms. (Judged by the clock, not by a count of sleeps, which a loaded machine stretches.)
        var starts = new List<double>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        RepeatedTiming.Measure(() => { starts.Add(clock.Elapsed.TotalSeconds); Thread.Sleep(2); }, new TimingPlan(1, 1, minWarmupSeconds: 0.06));
        Assert.InRange(starts.Count, 3, 100);
        Assert.True(starts[^1] - starts[0] >= 0.059, $"the timed repeat started {starts[^1] - starts[0]:F4} s after the first warm-up");
    }

    [Fact]
    public void SamplesArePerIteration()
    {
        // 5 iterations of ≥ 20 ms each: a sample is ≥ 20 ms per iteration, far below the ≥ 100 ms of a whole repeat.
        var summary = RepeatedTiming.Measure(() => Thread.Sleep(20), new TimingPlan(0, 2, 5));
        Assert.All(summary.Samples, s => Assert.InRange(s, 19.5, 95.0));
    }

    [Theory]
    [InlineData(-1, 1, 1, "warmups")]
    [InlineData(0, 0, 1, "repeats")]
    [InlineData(0, 1, 0, "iterationsPerRepeat")]
    [InlineData(0, 1, 1, "minWarmupSeconds", -1.0)]
    [InlineData(0, 1, 1, "minWarmupSeconds", double.NaN)]
    public void BadPlansAreRejected(int warmups, int repeats, int iterations, string parameter, double minWarmupSeconds = 0)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TimingPlan(warmups, repeats, iterations, minWarmupSeconds));
        Assert.Equal(parameter, e.ParamName);
    }
}
