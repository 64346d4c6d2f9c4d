using LabelNoise.Experiments;

namespace LabelNoise.Tests.Experiments;

public class LineFitTests
{
    [Fact]
    public void PointsOnALineGiveItExactlyWithZeroStandardError()
    {
        var fit = LineFit.Of([1, 2, 3, 4], [5, 3, 1, -1]);
        Assert.Equal((-2.0, 7.0, 0.0), (fit.Slope, fit.Intercept, fit.SlopeStandardError));
    }

    [Fact]
    public void TheSlopesStandardErrorIsTheTextbookOne()
    {
        // x = 0, 1, 2; y = 0, 2, 1: slope 1/2, intercept 1/2, residuals −1/2, 1, −1/2, RSS 3/2, Σ(x − x̄)² = 2: SE = √(3/2 / 1 / 2).
        var fit = LineFit.Of([0, 1, 2], [0, 2, 1]);
        Assert.Equal(0.5, fit.Slope, 12);
        Assert.Equal(0.5, fit.Intercept, 12);
        Assert.Equal(Math.Sqrt(0.75), fit.SlopeStandardError, 12);
    }

    [Fact]
    public void TooFewOrNonFinitePointsGiveNaNAndMismatchedLengthsAreRefused()
    {
        Assert.True(double.IsNaN(LineFit.Of([1], [1]).Slope));
        Assert.True(double.IsNaN(LineFit.Of([1, 2], [1, double.NaN]).Slope));
        var two = LineFit.Of([1, 2], [1, 3]);
        Assert.Equal(2, two.Slope, 12);
        Assert.True(double.IsNaN(two.SlopeStandardError));
        Assert.Throws<ArgumentException>(() => LineFit.Of([1, 2], [1]));
    }
}
