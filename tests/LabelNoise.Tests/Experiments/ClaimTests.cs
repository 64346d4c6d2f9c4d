using System.Text.Json;
using LabelNoise.Experiments;

namespace LabelNoise.Tests.Experiments;

public class ClaimTests
{
    [Fact]
    public void TheBooleanConstructorGivesYesOrNoAndConditionalClaimsCanBeNotTestable()
    {
        Assert.Equal(Verdict.Holds, new Claim("s", "m", "c", true).Verdict);
        Assert.Equal(Verdict.DoesNotHold, new Claim("s", "m", "c", false).Verdict);
        Assert.False(new Claim("s", "m", "c", false).Holds);
        var untestable = Claim.Conditional("s", "m", "c", testable: false, holds: true);
        Assert.Equal(Verdict.NotTestable, untestable.Verdict);
        Assert.False(untestable.Holds);
        Assert.Equal("not testable at this scale", untestable.VerdictText);
        Assert.Equal(Verdict.DoesNotHold, Claim.Conditional("s", "m", "c", testable: true, holds: false).Verdict);
    }

    [Fact]
    public void EveryVerdictSurvivesAJsonRoundTrip()
    {
        foreach (var verdict in Enum.GetValues<Verdict>())
        {
            var claim = new Claim("statement", "measured", "criterion", verdict);
            string json = JsonSerializer.Serialize(claim);
            Assert.Contains($"\"{verdict}\"", json);
            Assert.Equal(claim, JsonSerializer.Deserialize<Claim>(json));
        }
    }
}
