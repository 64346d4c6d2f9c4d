using LabelNoise.Benchmarks;

namespace LabelNoise.Tests.Benchmarks;

public class TimingSummaryTests
{
    [Fact]
    public void OddCountMedianIsTheMiddleSample()
    {
        var summary = TimingSummary.FromSamples([5.0, 1.0, 9.0, 3.0, 7.0]);
        Assert.Equal(5.0, summary.MedianMilliseconds);
        Assert.Equal(1.0, summary.MinMilliseconds);
        Assert.Equal(9.0, summary.MaxMilliseconds);
        Assert.Equal(5, summary.Repeats);
        Assert.Equal((9.0 - 1.0) / 5.0, summary.RelativeSpread, 15);
    }

    [Fact]
    public void EvenCountMedianIsTheMeanOfTheTwoMiddleSamples()
    {
        var summary = TimingSummary.FromSamples([4.0, 1.0, 10.0, 2.0]);
        Assert.Equal(3.0, summary.MedianMilliseconds); // sorted 1, 2, 4, 10
        Assert.Equal(1.0, summary.MinMilliseconds);
        Assert.Equal(10.0, summary.MaxMilliseconds);
    }

    [Fact]
    public void OneSampleIsItsOwnMedianWithNoSpread()
    {
        var summary = TimingSummary.FromSamples([2.5]);
        Assert.Equal(2.5, summary.MedianMilliseconds);
        Assert.Equal(0, summary.RelativeSpread);
    }

    [Fact]
    public void SamplesKeepTheirOrderAndTheInputIsNotModified()
    {
        double[] samples = [3.0, 1.0, 2.0];
        var summary = TimingSummary.FromSamples(samples);
        Assert.Equal([3.0, 1.0, 2.0], samples);
        Assert.Equal([3.0, 1.0, 2.0], summary.Samples);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-1.0)]
    [InlineData(double.PositiveInfinity)]
    public void InvalidSamplesAreRejected(double bad)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TimingSummary.FromSamples([1.0, bad]));
        Assert.Contains("sample 1", e.Message);
    }

    [Fact]
    public void NoSamplesIsAnError() =>
        Assert.Throws<ArgumentException>(() => TimingSummary.FromSamples([]));
}
