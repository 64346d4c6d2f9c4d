namespace LabelNoise.Data;

/// <summary>A data file that is missing or malformed. The message is one sentence naming the file and the problem.</summary>
public sealed class DataFormatException(string file, string problem)
    : Exception($"{file}: {problem}.")
{
    public string File { get; } = file;
    public string Problem { get; } = problem;

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
