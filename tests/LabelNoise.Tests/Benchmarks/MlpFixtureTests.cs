using LabelNoise.Benchmarks;

namespace LabelNoise.Tests.Benchmarks;

public class MlpFixtureTests
{
    // Layers 784×512, 512×512, 512×10: 401,408 + 262,144 + 5,120 weights.
    [Fact]
    public void FlopCountsFollowFromTheLayerSizes()
    {
        Assert.Equal(668_672, MlpFixture.WeightCount);
        Assert.Equal(3 * 6.0 * 668_672, MlpFixture.FlopsPerStep(3));
        Assert.Equal(2 * (4.0 * 401_408 + 12.0 * (262_144 + 5_120)), MlpFixture.FlopsPerHvp(2));
        Assert.Equal(5 * (2.0 * 668_672 + 2.0 * 10 * (262_144 + 5_120)), MlpFixture.FlopsPerExactTrace(5));
    }
}
