using System.CommandLine;
using System.Globalization;

namespace LabelNoise.Cli.CommandLine;

/// <summary>
/// The kinds of option the commands declare: each parses with the invariant culture, and a value it cannot read
/// is one sentence naming the option and the value ("option --lr expects a number, not 'abc'").
/// </summary>
public static class CliOptions
{
    delegate bool TryParse<T>(string text, out T value);

    public static Option<double> Number(string name, string helpName, string description, double fallback) =>
        Parsed<double>(name, helpName, description, TryNumber, "a number", () => fallback);

    public static Option<double?> OptionalNumber(string name, string helpName, string description) =>
        Parsed<double?>(name, helpName, description, Optional<double>(TryNumber), "a number", null);

    public static Option<long> WholeNumber(string name, string helpName, string description, long fallback) =>
        Parsed<long>(name, helpName, description, TryLong, "a whole number", () => fallback);

    public static Option<int> Count(string name, string helpName, string description, int fallback) =>
        Parsed<int>(name, helpName, description, TryInt, "a whole number", () => fallback);

    public static Option<int?> OptionalCount(string name, string helpName, string description) =>
        Parsed<int?>(name, helpName, description, Optional<int>(TryInt), "a whole number", null);

    public static Option<ulong> Seed(string name, string description, ulong fallback) =>
        Parsed<ulong>(name, "s", description, TryULong, "a non-negative whole number", () => fallback);

    public static Option<ulong?> OptionalSeed(string name, string description) =>
        Parsed<ulong?>(name, "s", description, Optional<ulong>(TryULong), "a non-negative whole number", null);

    /// <summary>Free text (a model, a data set, a path); <paramref name="completions"/> are what the shell offers.</summary>
    public static Option<string> Text(string name, string helpName, string description, string? fallback = null, IEnumerable<string>? completions = null)
    {
        var option = new Option<string>(name) { Description = description, HelpName = helpName };
        if (fallback is not null) option.DefaultValueFactory = _ => fallback;
        if (completions is not null) option.CompletionSources.Add(completions.ToArray());
        return option;
    }

    /// <summary>One of a fixed set of words: help shows them, the shell completes them, anything else is one sentence.</summary>
    public static Option<string> Choice(string name, string description, string? fallback, IReadOnlyList<string> choices)
    {
        var option = new Option<string>(name) { Description = description };
        if (fallback is not null) option.DefaultValueFactory = _ => fallback;
        option.CompletionSources.Add(choices.ToArray());
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0) return;
            string given = result.Tokens[^1].Value;
            if (!choices.Contains(given)) result.AddError($"{name} must be {Alternatives(choices)}, not '{given}'");
        });
        return option;
    }

    public static Option<bool> Switch(string name, string description) => new(name) { Description = description };

    /// <summary>"a", "a or b", "a, b or c".</summary>
    public static string Alternatives(IReadOnlyList<string> words) =>
        words.Count == 1 ? words[0] : string.Join(", ", words.Take(words.Count - 1)) + " or " + words[^1];

    static Option<T> Parsed<T>(string name, string helpName, string description, TryParse<T> tryParse, string expects, Func<T>? fallback)
    {
        var option = new Option<T>(name) { Description = description, HelpName = helpName };
        if (fallback is not null) option.DefaultValueFactory = _ => fallback();
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return fallback is null ? default : fallback();
            string text = result.Tokens[^1].Value;
            if (tryParse(text, out T value)) return value;
            result.AddError($"option {name} expects {expects}, not '{text}'");
            return default;
        };
        return option;
    }

    static TryParse<T?> Optional<T>(TryParse<T> tryParse) where T : struct => (string text, out T? value) =>
    {
        bool ok = tryParse(text, out T parsed);
        value = ok ? parsed : null;
        return ok;
    };

    static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value);

    static bool TryLong(string text, out long value) => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    static bool TryInt(string text, out int value) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    static bool TryULong(string text, out ulong value) => ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
