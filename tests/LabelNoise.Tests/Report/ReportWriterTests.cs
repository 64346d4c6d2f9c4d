using LabelNoise.Experiments;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Figures;
using LabelNoise.Report;

namespace LabelNoise.Tests.Report;

public class ReportWriterTests
{
    [Fact]
    public void TheReportOpensWithTheMachineTheTallyAndEveryClaimThatIsNotAYesWithItsReason()
    {
        using var folder = new TempFolder();
        var claims = new[]
        {
            new Claim("first holds", "m1", "c1", Verdict.Holds),
            new Claim("second fails", "measured 2", "criterion 2", Verdict.DoesNotHold),
            new Claim("third untestable", "the search found nothing", "criterion 3", Verdict.NotTestable),
        };
        var table = new ReportTable("runs", ["a", "b"], [["1", "2"]]);
        var escapeFolder = Path.Combine(folder.Path, "escape");
        Directory.CreateDirectory(escapeFolder);
        new ExperimentSummary("escape", "Escape title", "description", "setting", "laptop", 0, 12, claims, [], []) { Tables = [table] }.Write(escapeFolder);
        new ReproduceRun(["escape"], "laptop", 0, 600, 180.6, 170.2, 1024, 2).Write(folder.Path);

        var (markdown, html) = ReportWriter.Write(folder.Path);

        Assert.Contains("in 10.0 minutes of wall time on 2 cores", markdown);
        Assert.Contains("181 GFLOP/s before and 170 GFLOP/s after", markdown);
        Assert.Contains("1 of 3 claims hold; 1 do not; 1 are not testable at this scale.", markdown);
        Assert.Contains("- **no** (escape): second fails — measured measured 2; criterion: criterion 2", markdown);
        Assert.Contains("- **not testable at this scale** (escape): third untestable — measured the search found nothing", markdown);
        Assert.DoesNotContain("first holds —", markdown);
        Assert.True(markdown.IndexOf("## Summary", StringComparison.Ordinal) < markdown.IndexOf("| experiment |", StringComparison.Ordinal));
        Assert.Contains("| a | b |", markdown);
        Assert.Contains("| 1 | 2 |", markdown);
        Assert.Contains("class=\"untestable\">not testable at this scale<", html);
        Assert.Contains("class=\"no\">no<", html);
        Assert.Contains("<caption>runs</caption>", html);
    }
}
