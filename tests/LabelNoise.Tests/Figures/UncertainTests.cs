using LabelNoise.Figures;

namespace LabelNoise.Tests.Figures;

public class UncertainTests
{
    [Theory]
    [InlineData(68.4, 0, "G3", "68.4 (exact)")]
    [InlineData(68.43, 1.26, "G3", "68.4 ± 1.3")]
    [InlineData(104.04, 0.5, "F1", "104.0 ± 0.5")]
    public void AZeroErrorReadsExactAndAnyOtherIsPlusMinus(double value, double error, string format, string expected) =>
        Assert.Equal(expected, Uncertain.Format(value, error, format, format == "F1" ? "F1" : "G2"));
}
