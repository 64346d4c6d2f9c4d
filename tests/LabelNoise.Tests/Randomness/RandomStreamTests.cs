using LabelNoise.Randomness;

namespace LabelNoise.Tests.Randomness;

public class RandomStreamTests
{
    [Fact]
    public void SameSeedSameStreamDifferentSeedDifferentStream()
    {
        var a = new RandomStream(5); var b = new RandomStream(5); var c = new RandomStream(6);
        var sa = Enumerable.Range(0, 10).Select(_ => a.NextUInt64()).ToArray();
        Assert.Equal(sa, Enumerable.Range(0, 10).Select(_ => b.NextUInt64()));
        Assert.NotEqual(sa, Enumerable.Range(0, 10).Select(_ => c.NextUInt64()));
    }

    [Fact]
    public void StateRoundTripContinuesTheStream()
    {
        var a = new RandomStream(77);
        for (int i = 0; i < 13; i++) a.NextGaussian();
        var b = RandomStream.FromState(a.State);
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextDouble(), b.NextDouble());
    }

    [Fact]
    public void NextIntStaysInRangeAndHitsEveryValue()
    {
        var g = new RandomStream(3);
        var seen = new bool[13];
        for (int i = 0; i < 2000; i++)
        {
            int v = g.NextInt(13);
            Assert.InRange(v, 0, 12);
            seen[v] = true;
        }
        Assert.All(seen, Assert.True);
    }

    [Fact]
    public void UniformDoublesHaveMeanOneHalfWithinFiveStandardErrors()
    {
        var g = new RandomStream(12);
        const int n = 50000;
        double mean = Enumerable.Range(0, n).Select(_ => g.NextDouble()).Average();
        Assert.True(Math.Abs(mean - 0.5) < 5 * Math.Sqrt(1.0 / 12 / n), $"mean {mean}");
    }

    [Fact]
    public void RejectsInvalidStates()
    {
        Assert.Throws<ArgumentException>(() => RandomStream.FromState([1, 2, 3]));
        Assert.Throws<ArgumentException>(() => RandomStream.FromState([0, 0, 0, 0]));
    }
}
