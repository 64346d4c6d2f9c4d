using LabelNoise.Curvature;

namespace LabelNoise.Tests.Curvature;

public class StudentTTests
{
    [Fact]
    public void WithinMatchesTheClosedFormsForOneAndTwoDegreesOfFreedom()
    {
        // ν = 1 is Cauchy: P(|T| ≤ t) = 2·atan(t)/π; ν = 2: P(|T| ≤ t) = t/√(2 + t²).
        foreach (double t in new[] { 0.5, 2, 5 })
        {
            Assert.Equal(2 * Math.Atan(t) / Math.PI, StudentT.Within(t, 1), 1e-9);
            Assert.Equal(t / Math.Sqrt(2 + t * t), StudentT.Within(t, 2), 1e-9);
        }
    }

    [Fact]
    public void ManyDegreesOfFreedomApproachTheNormal()
    {
        Assert.Equal(StudentT.TwoSigmaCoverage, StudentT.Within(2, 100_000), 1e-5);
        Assert.Equal(1, StudentT.TwoSigmaInflation(100_001), 1e-4);
    }

    [Fact]
    public void TheQuantileInvertsWithinAndTheInflationIsHalfOfIt()
    {
        // ν = 3 in closed form, F(t) = 1/2 + (t/(√3(1 + t²/3)) + atan(t/√3))/π, solved for F = 0.97725 (95.45 % two-sided): 3.3068.
        Assert.Equal(3.30682, StudentT.Quantile(StudentT.TwoSigmaCoverage, 3), 4);
        Assert.Equal(StudentT.Quantile(StudentT.TwoSigmaCoverage, 3) / 2, StudentT.TwoSigmaInflation(4), 12);
        Assert.Equal(0.9, StudentT.Within(StudentT.Quantile(0.9, 7), 7), 9);
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.Within(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.Quantile(1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.TwoSigmaInflation(1));
    }
}
