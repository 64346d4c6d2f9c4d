using LabelNoise;
using LabelNoise.Noise;

namespace LabelNoise.Tests.Noise;

public class NoiseSpecTests
{
    [Theory]
    [InlineData("none", typeof(NoLabelNoise), 0.0)]
    [InlineData("pm:0.5", typeof(PlusMinusNoise), 0.25)]
    [InlineData("gauss:2", typeof(GaussianNoise), 4.0)]
    [InlineData("flip:0.2", typeof(LabelFlipNoise), 1.0)]
    [InlineData("smooth:0.2", typeof(LabelSmoothing), 0.0)]
    public void ParsesEachForm(string spec, Type type, double variance)
    {
        var noise = NoiseSpec.Parse(spec);
        Assert.IsType(type, noise);
        Assert.Equal(variance, noise.Variance, 12);
        Assert.Equal(spec, noise.Spec);
    }

    [Theory]
    [InlineData("pm", "unknown noise")]
    [InlineData("pm:x", "needs a number")]
    [InlineData("pm:-1", "σ must be finite and ≥ 0")]
    [InlineData("flip:1.5", "[0, 1)")]
    [InlineData("salt:0.1", "unknown noise")]
    public void RejectsBadSpecsWithOneSentence(string spec, string fragment)
    {
        var e = Assert.Throws<SettingException>(() => NoiseSpec.Parse(spec));
        Assert.Contains(fragment, e.Message);
        Assert.DoesNotContain("Parameter", e.Message);
    }
}
