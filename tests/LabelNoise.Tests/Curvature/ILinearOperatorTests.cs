using LabelNoise.Curvature;
using LabelNoise.Randomness;

namespace LabelNoise.Tests.Curvature;

public class ILinearOperatorTests
{
    [Fact]
    public void RademacherSignsComeSixtyFourToADrawLowBitFirstAndAreBalanced()
    {
        var v = new double[130];
        var generator = new RandomStream(4);
        Vectors.FillRademacher(v, generator);
        var replay = new RandomStream(4);
        for (int k = 0; k < 3; k++)
        {
            ulong bits = replay.NextUInt64();
            for (int j = 0; j < 64 && 64 * k + j < v.Length; j++)
                Assert.Equal(((bits >> j) & 1) == 0 ? 1.0 : -1.0, v[64 * k + j]);
        }
        Assert.Equal(replay.NextUInt64(), generator.NextUInt64()); // exactly three draws for 130 entries

        var many = new double[100_000];
        Vectors.FillRademacher(many, new RandomStream(5));
        Assert.All(many, x => Assert.True(x == 1 || x == -1));
        Assert.InRange(many.Sum(), -5 * Math.Sqrt(many.Length), 5 * Math.Sqrt(many.Length)); // mean 0, sd √n
    }

    [Theory]
    [InlineData(5, double.PositiveInfinity)]
    [InlineData(36, double.NaN)] // in the tail after the SIMD blocks
    [InlineData(0, double.NegativeInfinity)]
    public void ApplyCheckedNamesTheFirstNonFiniteEntry(int index, double bad)
    {
        var op = new Poisoned(37, index, bad);
        var e = Assert.Throws<CurvatureException>(() => Vectors.ApplyChecked(op, new double[37], new double[37]));
        Assert.Contains($"at index {index}", e.Message);
        var fine = new double[37];
        Vectors.ApplyChecked(new Poisoned(37, -1, 0), new double[37], fine);
        Assert.Equal(36.0, fine[36]);
    }

    sealed class Poisoned(int dimension, int index, double bad) : ILinearOperator
    {
        public int Dimension => dimension;

        public void Apply(ReadOnlySpan<double> v, Span<double> result)
        {
            for (int i = 0; i < result.Length; i++) result[i] = i == index ? bad : i;
        }
    }
}
