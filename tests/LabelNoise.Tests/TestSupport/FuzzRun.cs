using System.Text;
using System.Text.RegularExpressions;
using LabelNoise.Data;

namespace LabelNoise.Tests.TestSupport;

/// <summary>
/// Feeds damaged files to a reader and tallies what happened. A case may end in a result or in one
/// <see cref="DataFormatException"/> whose message is one sentence; another exception type, a message over
/// several lines, or a case that runs past its time limit is a failure, kept with the case's kind and number.
/// </summary>
public sealed partial class FuzzRun(string reader, TimeSpan limit)
{
    public const string Result = "result";

    readonly Dictionary<string, int> outcomes = [];
    readonly Dictionary<string, int> kinds = [];
    readonly List<string> failures = [];
    int cases;

    public int Cases => cases;
    public IReadOnlyDictionary<string, int> Outcomes => outcomes;
    public IReadOnlyList<string> Failures => failures;

    /// <summary>Counts of <see cref="Result"/> and of each error, its numbers and quoted cells replaced by '#'.</summary>
    public int Count(string outcome) => outcomes.GetValueOrDefault(outcome);

    public int Errors => cases - Count(Result) - failures.Count;

    /// <summary>Runs one case: <paramref name="read"/> on the damaged file, with the kind of damage done to it.</summary>
    public void Case(string kind, Action read)
    {
        int number = cases++;
        kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        var task = Task.Run(read);
        string outcome;
        try
        {
            if (!task.Wait(limit))
            {
                failures.Add($"case {number} ({kind}): still running after {limit.TotalSeconds} s");
                return;
            }
            outcome = Result;
        }
        catch (AggregateException e) when (e.InnerException is DataFormatException error)
        {
            if (error.Message.Contains('\n') || !error.Message.EndsWith('.'))
            {
                failures.Add($"case {number} ({kind}): not one sentence: {error.Message}");
                return;
            }
            outcome = "error: " + Pattern(error.Problem);
        }
        catch (AggregateException e)
        {
            var inner = e.InnerException!;
            failures.Add($"case {number} ({kind}): {inner.GetType().Name}: {inner.Message}");
            return;
        }
        outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
    }

    static string Pattern(string problem)
    {
        var text = Quoted().Replace(problem, "'#'");
        text = Numbers().Replace(text, "#");
        return text.Length <= 90 ? text : text[..90] + "…";
    }

    [GeneratedRegex("'.*?'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"-?\d+(\.\d+)?(E[+-]?\d+)?|0x[0-9A-F]+")]
    private static partial Regex Numbers();

    /// <summary>The tally, for the test's output: cases by kind of damage, then outcomes, most frequent first.</summary>
    public string Summary()
    {
        var text = new StringBuilder();
        text.AppendLine($"{reader}: {cases} cases ({string.Join(", ", kinds.OrderByDescending(k => k.Value).Select(k => $"{k.Value} {k.Key}"))})");
        foreach (var (outcome, count) in outcomes.OrderByDescending(o => o.Value)) text.AppendLine($"  {count,5}  {outcome}");
        foreach (var failure in failures) text.AppendLine($"  FAILED {failure}");
        return text.ToString();
    }

    /// <summary>Fails the test on any failure; demands that both results and errors occurred (else the cases were too tame or the valid file was not valid).</summary>
    public void AssertClean()
    {
        Assert.True(failures.Count == 0, Summary());
        Assert.True(Count(Result) > 0, "no case produced a result: " + Summary());
        Assert.True(Errors > 0, "no case produced an error: " + Summary());
    }
}
