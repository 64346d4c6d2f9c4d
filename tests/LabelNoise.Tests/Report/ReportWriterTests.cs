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
            new Claim("second fails", "measured 2", "criterion 2", Verdict.DoesNotHold) { Margin = "−0.4 points past the 1 allowed" },
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
        Assert.Contains("- **no** (escape): second fails — measured measured 2; criterion: criterion 2; margin: −0.4 points past the 1 allowed", markdown);
        // The margin column, read back from summary.json: filled where a claim has one, empty where it has none.
        Assert.Contains("| escape | second fails | measured 2 | criterion 2 | −0.4 points past the 1 allowed | **no** |", markdown);
        Assert.Contains("| escape | first holds | m1 | c1 |  | yes |", markdown);
        Assert.Contains("<td>criterion 2</td><td>−0.4 points past the 1 allowed</td><td class=\"no\">no</td>", html);
        Assert.Contains("- **not testable at this scale** (escape): third untestable — measured the search found nothing", markdown);
        Assert.DoesNotContain("first holds —", markdown);
        Assert.True(markdown.IndexOf("## Summary", StringComparison.Ordinal) < markdown.IndexOf("| experiment | claim of the paper |", StringComparison.Ordinal));
        Assert.Contains("| a | b |", markdown);
        Assert.Contains("| 1 | 2 |", markdown);
        Assert.Contains("class=\"untestable\">not testable at this scale<", html);
        Assert.Contains("class=\"no\">no<", html);
        Assert.Contains("<caption>runs</caption>", html);
    }

    [Fact]
    public void AfterAPartialRunTheContentsGiveEveryExperimentsOwnDateTimeAndSpeed()
    {
        using var folder = new TempFolder();
        var finished = new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);
        foreach (var (name, seconds, gflops, when) in new[] { ("escape", 631.8, 188.0, finished), ("momentum", 12.0, 95.0, finished.AddDays(6)) })
        {
            var sub = Path.Combine(folder.Path, name);
            Directory.CreateDirectory(sub);
            new ExperimentSummary(name, name + " title", "description", "setting", "laptop", 0, seconds, [new Claim("c", "m", "k", Verdict.Holds)], [], [])
            { Finished = when, MatmulGflops = gflops }.Write(sub);
        }
        new ReproduceRun(["momentum"], "laptop", 0, 14, 96, 95, 1024, 2).Write(folder.Path);

        var (markdown, html) = ReportWriter.Write(folder.Path);

        Assert.Contains("of momentum (laptop scale, seed 0) in 0.2 minutes", markdown);
        Assert.Contains("The report also shows 1 experiment(s) from earlier runs", markdown);
        Assert.Contains("| [escape](#escape-title) | 2026-12-01 09:30 UTC | 631.8 s | 188 | laptop | 1 of 1 |", markdown);
        Assert.Contains("| [momentum](#momentum-title) | 2026-12-07 09:30 UTC | 12.0 s | 95 | laptop | 1 of 1 |", markdown);
        Assert.Contains("<h2 id=\"escape\">escape title</h2>", html);
        Assert.Contains("<a href=\"#escape\">escape</a>", html);
    }
}
