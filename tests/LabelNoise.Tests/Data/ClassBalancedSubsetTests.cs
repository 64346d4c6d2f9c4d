using LabelNoise.Data;
using LabelNoise.Randomness;

namespace LabelNoise.Tests.Data;

public sealed class ClassBalancedSubsetTests
{
    /// <summary>Class c has 20 + c examples, in a shuffled order.</summary>
    static int[] Labels()
    {
        var labels = Enumerable.Range(0, 10).SelectMany(c => Enumerable.Repeat(c, 20 + c)).ToArray();
        var order = new RandomStream(99).Permutation(labels.Length);
        return [.. order.Select(i => labels[i])];
    }

    [Theory]
    [InlineData(25)]
    [InlineData(100)]
    [InlineData(7)]
    [InlineData(0)]
    public void ExactPerClassCountsWithoutRepeatsInOriginalOrder(int size)
    {
        var labels = Labels();
        var indices = ClassBalancedSubset.Select(labels, 10, size, new RandomStream(5));
        Assert.Equal(size, indices.Length);
        Assert.Equal(indices.Length, indices.Distinct().Count());
        Assert.Equal(indices.Order(), indices);
        for (int c = 0; c < 10; c++)
        {
            int expected = size / 10 + (c < size % 10 ? 1 : 0);
            Assert.Equal(expected, indices.Count(i => labels[i] == c));
        }
    }

    [Fact]
    public void DeterministicForASeedAndDifferentAcrossSeeds()
    {
        var labels = Labels();
        var a = ClassBalancedSubset.Select(labels, 10, 30, new RandomStream(1));
        var b = ClassBalancedSubset.Select(labels, 10, 30, new RandomStream(1));
        var c = ClassBalancedSubset.Select(labels, 10, 30, new RandomStream(2));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void WholeBalancedSetIsEveryIndex()
    {
        int[] labels = [2, 0, 1, 1, 2, 0];
        Assert.Equal([0, 1, 2, 3, 4, 5], ClassBalancedSubset.Select(labels, 3, 6, new RandomStream(0)));
    }

    [Fact]
    public void ChoosesUniformlyWithinAClass()
    {
        // Class 0 has 4 members and gets one place: each should win 1/4 of 4000 tries, within 5 standard errors.
        int[] labels = [0, 1, 0, 1, 0, 0];
        var wins = new Dictionary<int, int>();
        var generator = new RandomStream(3);
        for (int t = 0; t < 4000; t++)
        {
            var chosen = ClassBalancedSubset.Select(labels, 2, 2, generator);
            int member = chosen.Single(i => labels[i] == 0);
            wins[member] = wins.GetValueOrDefault(member) + 1;
        }
        double tolerance = 5 * Math.Sqrt(4000 * 0.25 * 0.75);
        Assert.Equal([0, 2, 4, 5], wins.Keys.Order());
        foreach (var count in wins.Values) Assert.InRange(count, 1000 - tolerance, 1000 + tolerance);
    }

    [Fact]
    public void WorksOnADataset()
    {
        var data = new ClassificationDataset("toy", [1], [0, 1, 2, 3], [1, 0, 1, 0], 2);
        var indices = ClassBalancedSubset.Select(data, 2, new RandomStream(0));
        Assert.Equal(2, indices.Length);
        Assert.Equal([0, 1], indices.Select(i => data.Labels[i]).Order());
    }

    [Fact]
    public void TooFewOfAClass()
    {
        int[] labels = [0, 0, 0, 1];
        var e = Assert.Throws<SettingException>(() => ClassBalancedSubset.Select(labels, 2, 4, new RandomStream(0)));
        Assert.Contains("class 1", e.Message);
        Assert.Contains("needs 2", e.Message);
    }

    [Fact]
    public void TooLarge()
    {
        var e = Assert.Throws<SettingException>(() => ClassBalancedSubset.Select([0, 1], 2, 3, new RandomStream(0)));
        Assert.Contains("3", e.Message);
        Assert.Contains("only 2", e.Message);
    }

    [Fact]
    public void BadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassBalancedSubset.Select([0, 1], 2, -1, new RandomStream(0)));
        var e = Assert.Throws<ArgumentException>(() => ClassBalancedSubset.Select([0, 5], 2, 1, new RandomStream(0)));
        Assert.Contains("label 5", e.Message);
    }
}
