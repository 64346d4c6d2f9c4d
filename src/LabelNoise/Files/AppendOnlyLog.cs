namespace LabelNoise.Files;

/// <summary>
/// A text file written one whole line at a time (each write flushed). On resume it is cut back to
/// the lines a checkpoint vouches for, dropping any partial last line left by a killed process.
/// </summary>
internal sealed class AppendOnlyLog : IDisposable
{
    readonly FileStream stream;

    /// <param name="keep">On resume: which existing complete lines to keep; null starts the file afresh.</param>
    public AppendOnlyLog(string path, string? header, Func<string, bool>? keep)
    {
        Path = path;
        var lines = new List<string>();
        if (header is not null) lines.Add(header);
        if (keep is not null && File.Exists(path))
        {
            var text = File.ReadAllText(path);
            var complete = text.EndsWith('\n') ? text : text[..(text.LastIndexOf('\n') + 1)];
            var existing = complete.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines.AddRange(existing.Skip(header is null ? 0 : 1).Where(keep));
        }
        AtomicFile.WriteAllText(path, lines.Count == 0 ? "" : string.Join('\n', lines) + "\n");
        // Unbuffered: a line that cannot be written (a full disk) fails in Append and leaves nothing pending for Dispose.
        stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
    }

    public string Path { get; }

    public void Append(string line)
    {
        stream.Write(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
    }

    public void Dispose() => stream.Dispose();
}
