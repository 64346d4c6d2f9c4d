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
        int calls = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // 1 warm-up repeat asked for, but ≥ 60 ms of them: warm-up calls go on past 60 ms before the one timed repeat
        // (counted by time, not by calls: a loaded machine sleeps longer than asked).
        RepeatedTiming.Measure(() => { calls++; Thread.Sleep(2); }, new TimingPlan(1, 1, minWarmupSeconds: 0.06));
        Assert.True(calls >= 3, $"{calls} calls: the warm-up stopped after the one repeat asked for");
        Assert.True(clock.Elapsed.TotalSeconds >= 0.06, $"{clock.Elapsed.TotalSeconds} s in all");
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
