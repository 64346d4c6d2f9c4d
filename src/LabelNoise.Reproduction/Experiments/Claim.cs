using System.Text.Json.Serialization;

namespace LabelNoise.Experiments;

/// <summary>The three verdicts of a claim.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    /// <summary>The measurement meets the criterion.</summary>
    Holds,

    /// <summary>The measurement was made where the claim applies and misses the criterion.</summary>
    DoesNotHold,

    /// <summary>The claim's premise could not be set up at this scale (the evidence says why); neither a yes nor a no.</summary>
    NotTestable,
}

/// <summary>
/// One row of the report's table: a claim of the paper, what we measured, and its verdict by the stated
/// criterion. <see cref="Verdict"/> is always computed from the written data; <see cref="Holds"/> means
/// "the verdict is yes".
/// </summary>
public sealed record Claim
{
    [JsonConstructor]
    public Claim(string statement, string measured, string criterion, Verdict verdict)
    {
        Statement = statement;
        Measured = measured;
        Criterion = criterion;
        Verdict = verdict;
    }

    public string Statement { get; init; }
    public string Measured { get; init; }
    public string Criterion { get; init; }
    public Verdict Verdict { get; init; }

    /// <summary>How far the measurement is from the criterion (<see cref="Experiments.Margin"/>); empty where the claim is not testable.</summary>
    public string Margin { get; init; } = "";

    /// <summary>A claim tested where it applies: yes when <paramref name="holds"/>, no otherwise.</summary>
    public Claim(string statement, string measured, string criterion, bool holds)
        : this(statement, measured, criterion, holds ? Verdict.Holds : Verdict.DoesNotHold) { }

    /// <summary>
    /// A claim whose premise may fail at this scale: "not testable at this scale" when <paramref name="testable"/>
    /// is false (<paramref name="measured"/> then gives the evidence), else yes or no by <paramref name="holds"/>.
    /// </summary>
    public static Claim Conditional(string statement, string measured, string criterion, bool testable, bool holds) =>
        new(statement, measured, criterion, !testable ? Verdict.NotTestable : holds ? Verdict.Holds : Verdict.DoesNotHold);

    [JsonIgnore]
    public bool Holds => Verdict == Verdict.Holds;

    /// <summary>The verdict as the report writes it: "yes", "no" or "not testable at this scale".</summary>
    [JsonIgnore]
    public string VerdictText => Verdict switch
    {
        Verdict.Holds => "yes",
        Verdict.DoesNotHold => "no",
        _ => "not testable at this scale",
    };
}
