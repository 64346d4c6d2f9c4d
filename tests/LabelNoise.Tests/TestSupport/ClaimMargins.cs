using LabelNoise.Experiments;

namespace LabelNoise.Tests.TestSupport;

/// <summary>Checks a claim's <see cref="Claim.Margin"/> against its verdict.</summary>
public static class ClaimMargins
{
    /// <summary>
    /// Asserts that every testable claim has a margin whose parts (one per condition, joined by "; ") are all signed, and
    /// that the claim holds exactly when every part starts with "+" (for a single condition: "+" iff it holds); a claim
    /// that is not testable has none. Returns <paramref name="claims"/>, so that an evaluation can be wrapped in it.
    /// </summary>
    public static IReadOnlyList<Claim> WithConsistentMargins(IReadOnlyList<Claim> claims)
    {
        foreach (var claim in claims)
        {
            if (claim.Verdict == Verdict.NotTestable)
            {
                Assert.Equal("", claim.Margin);
                continue;
            }
            Assert.False(claim.Margin.Length == 0, $"{claim.Statement}: no margin");
            var parts = claim.Margin.Split("; ");
            Assert.All(parts, p => Assert.True(p.StartsWith('+') || p.StartsWith('−'), $"{claim.Statement}: unsigned margin '{p}'"));
            Assert.True(claim.Holds == parts.All(p => p.StartsWith('+')), $"{claim.Statement}: verdict {claim.VerdictText}, margin {claim.Margin}");
        }
        return claims;
    }
}
