using LabelNoise.Tests.TestSupport;

namespace LabelNoise.Tests.Cli;

/// <summary>Bad input reaches the user as one sentence and a non-zero exit, never a stack trace or a result folder.</summary>
public class CliErrorTests
{
    static readonly string[] Sparse = ["train", "--model", "quadratic", "--data", "sparse:d=5,n=4,r=1,seed=1", "--steps", "10"];

    static void AssertOneSentence(int expectedCode, (int ExitCode, string Output, string Error) result, string fragment)
    {
        Assert.Equal(expectedCode, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var error = Assert.Single(lines, l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains(fragment, error);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.DoesNotContain("Exception", result.Error);
    }

    [Theory]
    [InlineData(new[] { "--lr", "-1" }, "learning rate η must be a positive number")]
    [InlineData(new[] { "--lr", "abc" }, "--lr expects a number")]
    [InlineData(new[] { "--batch", "0" }, "batch size B must be at least 1")]
    [InlineData(new[] { "--momentum", "1" }, "momentum β must lie in [0, 1)")]
    [InlineData(new[] { "--noise", "pm:-0.5" }, "σ must be finite and ≥ 0")]
    [InlineData(new[] { "--noise", "flip:0.2" }, "is a regression data set")]
    [InlineData(new[] { "--frobnicate", "3" }, "unknown option --frobnicate")]
    [InlineData(new[] { "--seed" }, "--seed needs a value")]
    [InlineData(new[] { "--lr-decay", "100:x" }, "--lr-decay item '100:x'")]
    public void HyperparameterErrorsExitTwoWithOneSentence(string[] extra, string fragment)
    {
        using var folder = new TempFolder();
        var result = CliProcess.Run([.. Sparse, "--out", folder.File("run"), .. extra]);
        AssertOneSentence(2, result, fragment);
        Assert.False(Directory.Exists(folder.File("run")), "a failed start must not leave a run folder");
    }

    [Theory]
    [InlineData("--model", "transformer", "unknown model 'transformer'")]
    [InlineData("--data", "imagenet", "imagenet")]
    [InlineData("--data", "fashion-mnist:/nonexistent/folder", "/nonexistent/folder")]
    public void UnknownModelsAndDataExitTwo(string option, string value, string fragment)
    {
        var args = Sparse.ToList();
        int at = args.IndexOf(option);
        args[at + 1] = value;
        AssertOneSentence(2, CliProcess.Run([.. args]), fragment);
    }

    [Fact]
    public void MalformedCsvNamesTheFileAndTheLine()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("bad.csv"), "1,2,3\n4,5\n");
        var result = CliProcess.Run("train", "--model", "linear", "--data", folder.File("bad.csv"), "--steps", "5");
        AssertOneSentence(2, result, "bad.csv");
        Assert.Contains("line 2", result.Error);
    }

    [Fact]
    public void DivergenceExitsThreeNamingTheStep()
    {
        using var folder = new TempFolder();
        var result = CliProcess.Run([.. Sparse[..^1], "100000", "--lr", "10", "--out", folder.File("run")]);
        AssertOneSentence(3, result, "training diverged at step");
    }

    [Fact]
    public void ResumeNeedsACheckpointAndNothingElse()
    {
        using var folder = new TempFolder();
        AssertOneSentence(2, CliProcess.Run("train", "--resume", folder.Path), "no checkpoint to resume from");
        Assert.Equal(0, CliProcess.Run([.. Sparse, "--out", folder.File("run")]).ExitCode);
        AssertOneSentence(2, CliProcess.Run("train", "--resume", folder.File("run"), "--lr", "0.5"), "only --steps may be given");
        AssertOneSentence(2, CliProcess.Run([.. Sparse, "--out", folder.File("run")]), "already holds a run");
    }

    [Theory]
    [InlineData("0", "--rounds must be at least 1")]
    [InlineData("two", "--rounds expects")]
    public void BenchRejectsBadRoundsBeforeMeasuring(string rounds, string fragment) =>
        AssertOneSentence(2, CliProcess.Run("bench", "--no-peers", "--rounds", rounds), fragment);

    [Fact]
    public void UnknownCommandExitsTwo() => AssertOneSentence(2, CliProcess.Run("fly"), "unknown command 'fly'");
}
