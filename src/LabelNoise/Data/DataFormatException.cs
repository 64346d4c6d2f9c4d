namespace LabelNoise.Data;

/// <summary>A data file that is missing or malformed. The message is one sentence naming the file and the problem.</summary>
public sealed class DataFormatException(string file, string problem)
    : Exception($"{file}: {problem}" + (problem.EndsWith('.') || problem.EndsWith('?') || problem.EndsWith('!') ? "" : "."))
{
    public string File { get; } = file;
    public string Problem { get; } = problem;

    /// <summary>The first line of an error message, without its final period: fit to quote inside a problem.</summary>
    public static string FirstLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Split('\n')[0].Trim().TrimEnd('.');
    }

    /// <summary>
    /// A short phrase for why a JSON file could not be read, on one line: where the JSON breaks, or the first words of the
    /// error (System.Text.Json quotes the offending text, newlines included).
    /// </summary>
    public static string JsonProblem(Exception error)
    {
        if (error is System.Text.Json.JsonException { LineNumber: long line, BytePositionInLine: long position })
            return $"invalid JSON at line {line + 1}, byte {position + 1}";
        return Quote(error.Message.Split('\n')[0].Split(". ")[0].Trim(), 120);
    }

    /// <summary>
    /// Text taken from a damaged file, fit to quote in a problem: control characters (line breaks included) shown as
    /// \uXXXX, so that the message stays one line, and cut to <paramref name="length"/> characters.
    /// </summary>
    public static string Quote(string text, int length = 30)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cut = text.Length <= length ? text : text[..length] + "…";
        if (!cut.Any(char.IsControl)) return cut;
        var escaped = new System.Text.StringBuilder();
        foreach (char c in cut) escaped.Append(char.IsControl(c) ? $"\\u{(int)c:X4}" : c);
        return escaped.ToString();
    }
}
