using LabelNoise.Experiments;

namespace LabelNoise.Tests.Experiments;

public class MarginTests
{
    [Fact]
    public void AtLeastAndAtMostSayBySignHowFarTheValueIsOnEitherSide()
    {
        Assert.Equal("+3.2 points over the 1.5 required", Margin.AtLeast(4.7, 1.5, " points"));
        Assert.Equal("−0.3 points short of the 1.5 required", Margin.AtLeast(1.2, 1.5, " points"));
        Assert.Equal("+0 over the 1 required", Margin.AtLeast(1, 1));
        Assert.Equal("", Margin.AtLeast(double.NaN, 1));
        Assert.Equal("+0.3 under the 1 allowed", Margin.AtMost(0.7, 1));
        Assert.Equal("−0.3 SE past the 1 allowed", Margin.AtMost(1.3, 1, " SE"));
        Assert.Equal("", Margin.AtMost(double.NaN, 1));
        // Exponents are written with a minus sign, in the gap as in the bound; an infinite value is "∞" past the bound.
        Assert.Equal("+8E−13 under the 1E−12 allowed", Margin.AtMost(2e-13, 1e-12));
        Assert.Equal("−∞ past the 0.05 allowed", Margin.AtMost(double.PositiveInfinity, 0.05));
        Assert.Equal("+0.250 over the 1.000 required", Margin.AtLeast(1.25, 1, format: "F3"));
    }

    [Fact]
    public void AValueExactlyAtAStrictBoundMissesItByZero()
    {
        Assert.Equal("−0 short of the 1 required", Margin.AtLeast(1, 1, strict: true));
        Assert.Equal("+0.5 over the 1 required", Margin.AtLeast(1.5, 1, strict: true));
        Assert.Equal("−0 past the 1 allowed", Margin.AtMost(1, 1, strict: true));
        Assert.Equal("+0 under the 1 allowed", Margin.AtMost(1, 1));
        Assert.Equal("−0 past the 1 allowed", Margin.AllAtMost([0.5, 1], 1, strict: true));
        Assert.Equal("−0 short of the 0 required", Margin.AllAtLeast([0, 2], 0, strict: true));
        Assert.Equal("−0 % below 1", Margin.Below(1, 1));
        Assert.Equal("−0 % above 1", Margin.Above(1, 1));
        Assert.Equal("−0 % below 2 at the tightest step", Margin.Decreasing([3, 2, 2]));
        Assert.Equal("+0 % below 2 at the tightest step", Margin.Decreasing([3, 2, 2], strict: false));
        Assert.Equal("+0 % above 2 at the tightest step", Margin.Increasing([1, 2, 2], strict: false));
    }

    [Fact]
    public void EveryValueMustMeetTheBoundSoTheWorstOneGivesTheMargin()
    {
        Assert.Equal("+1 SE under the 3 allowed", Margin.AllAtMost([0.5, 2, 1], 3, " SE"));
        Assert.Equal("−1 past the 3 allowed", Margin.AllAtMost([4, 1], 3));
        Assert.Equal("+0.25 over the 1 required", Margin.AllAtLeast([2, 1.25], 1));
        Assert.Equal("−0.5 short of the 1 required", Margin.AllAtLeast([2, 0.5], 1));
        // A NaN anywhere (Enumerable.Max would skip it) or no values at all: no margin.
        Assert.Equal("", Margin.AllAtMost([0.5, double.NaN], 3));
        Assert.Equal("", Margin.AllAtMost([double.NaN, 0.5], 3));
        Assert.Equal("", Margin.AllAtLeast([2, double.NaN], 1));
        Assert.Equal("", Margin.AllAtMost([], 3));
    }

    [Fact]
    public void BelowAndAboveGiveTheRelativeGapToAMeasuredReference()
    {
        Assert.Equal("+32 % below 100", Margin.Below(68, 100));
        Assert.Equal("−50 % below 100", Margin.Below(150, 100));
        Assert.Equal("+50 % below −2", Margin.Below(-3, -2));
        Assert.Equal("+25 % above 1", Margin.Above(1.25, 1));
        Assert.Equal("−50 % above 1", Margin.Above(0.5, 1));
        Assert.Equal("", Margin.Below(double.NaN, 1));
        Assert.Equal("", Margin.Above(1, double.NaN));
        Assert.Equal("", Margin.Below(1, 0));
    }

    [Fact]
    public void AMonotoneSequenceIsJudgedByItsTightestStep()
    {
        Assert.Equal("+10 % below 0.5 at the tightest step", Margin.Decreasing([1, 0.5, 0.45]));
        Assert.Equal("−20 % below 0.5 at the tightest step", Margin.Decreasing([1, 0.5, 0.6]));
        Assert.Equal("+10 % above 2 at the tightest step", Margin.Increasing([1, 2, 2.2]));
        Assert.Equal("−25 % above 2 at the tightest step", Margin.Increasing([1, 2, 1.5]));
        Assert.Equal("", Margin.Decreasing([1]));
        Assert.Equal("", Margin.Increasing([1, double.NaN, 3]));
    }

    [Fact]
    public void SeedsCountsAndJoinKeepsTheCriterionsOrderLeavingOutEmptyParts()
    {
        Assert.Equal("2 of 3 seeds meet it", Margin.Seeds(2, 3));
        Assert.Equal("+1 a; −2 b", Margin.Join("+1 a", "", "−2 b"));
        Assert.Equal("", Margin.Join("", ""));
    }
}
