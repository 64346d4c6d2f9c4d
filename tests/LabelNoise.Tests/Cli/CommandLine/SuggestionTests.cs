using LabelNoise.Cli.CommandLine;

namespace LabelNoise.Tests.Cli.CommandLine;

public class SuggestionTests
{
    static readonly string[] Commands = ["train", "sweep", "measure", "reproduce", "bench", "export"];

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("trian", "train", 1)] // a swap of neighbours is one edit
    [InlineData("--modle", "--model", 1)]
    [InlineData("--checkpont", "--checkpoint", 1)]
    [InlineData("", "abc", 3)]
    [InlineData("same", "same", 0)]
    public void DistanceCountsInsertionsDeletionsSubstitutionsAndSwaps(string a, string b, int expected)
    {
        Assert.Equal(expected, Suggestion.Distance(a, b));
        Assert.Equal(expected, Suggestion.Distance(b, a));
    }

    [Theory]
    [InlineData("trian", "train")]
    [InlineData("mesure", "measure")]
    [InlineData("EXPORT", "export")]
    [InlineData("reproduec", "reproduce")]
    public void AMistypedCommandSuggestsTheOneMeant(string typed, string meant) => Assert.Equal(meant, Suggestion.Closest(typed, Commands));

    [Theory]
    [InlineData("fly")]
    [InlineData("plot")]
    [InlineData("x")]
    public void ANameFarFromEveryCommandSuggestsNothing(string typed) => Assert.Null(Suggestion.Closest(typed, Commands));

    [Fact]
    public void AnOptionSuggestsTheClosestOption() =>
        Assert.Equal("--model", Suggestion.Closest("--modle", ["--momentum", "--model", "--noise", "--data"]));
}
