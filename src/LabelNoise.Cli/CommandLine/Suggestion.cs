namespace LabelNoise.Cli.CommandLine;

/// <summary>"Did you mean …?": the closest known name to a mistyped one, if it is close enough to be the one meant.</summary>
public static class Suggestion
{
    /// <summary>
    /// The candidate with the fewest edits (insertions, deletions, substitutions and swaps of neighbours) from
    /// <paramref name="typed"/>, if that is at most a third of its length (at least 1, at most 3); else null.
    /// </summary>
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        int allowed = Math.Clamp(typed.TrimStart('-').Length / 3, 1, 3);
        return candidates
            .Select(c => (Name: c, Distance: Distance(typed.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(c => c.Distance <= allowed)
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    /// <summary>": did you mean 'train'?" (": did you mean --model?" for an option), or "" when nothing is close.</summary>
    public static string DidYouMean(string typed, IEnumerable<string> candidates) =>
        Closest(typed, candidates) is { } closest ? $": did you mean {(closest.StartsWith('-') ? closest : $"'{closest}'")}?" : "";

    /// <summary>Optimal string alignment distance (Damerau–Levenshtein without repeated edits of a substring).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
