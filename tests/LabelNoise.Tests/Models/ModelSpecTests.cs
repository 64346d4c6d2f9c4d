using LabelNoise;
using LabelNoise.Models;

namespace LabelNoise.Tests.Models;

public class ModelSpecTests
{
    [Theory]
    [InlineData("linear", "linear")]
    [InlineData("quadratic", "quadratic")]
    [InlineData("mlp:512,512", "mlp:512,512,relu")]
    [InlineData("mlp:64,tanh", "mlp:64,tanh")]
    [InlineData("cnn", "cnn:32")]
    [InlineData("cnn:8", "cnn:8")]
    [InlineData("resnet18", "resnet18")]
    public void ParsesAndPrintsCanonically(string spec, string canonical)
    {
        var parsed = ModelSpec.Parse(spec);
        Assert.Equal(canonical, parsed.ToString());
        Assert.Equal(parsed.ToString(), ModelSpec.Parse(parsed.ToString()).ToString());
    }

    [Theory]
    [InlineData("mlp", "needs hidden widths")]
    [InlineData("mlp:0", "not a positive width")]
    [InlineData("mlp:12,swish", "not a positive width or an activation")]
    [InlineData("linear:3", "takes no arguments")]
    [InlineData("vit", "unknown model 'vit'")]
    public void RejectsBadSpecs(string spec, string fragment) =>
        Assert.Contains(fragment, Assert.Throws<SettingException>(() => ModelSpec.Parse(spec)).Message);
}
