using LabelNoise.Benchmarks;

namespace LabelNoise.Tests.Benchmarks;

public class MlpHvpWorkloadTests
{
    [Theory]
    [InlineData(1.3, "holds (1.30)")]
    [InlineData(2.5, "holds (2.50)")]
    [InlineData(2.6, "fails (2.60)")]
    public void TheHvpClaimIsJudgedOnTheFigureItQuotes(double perGradient, string verdict) =>
        Assert.EndsWith(verdict, MlpHvpWorkload.Claim(perGradient));
}
