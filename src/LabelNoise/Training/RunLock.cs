namespace LabelNoise.Training;

/// <summary>
/// The claim of one process on a run folder: DIR/.lock held open with an exclusive lock (flock on Linux,
/// which .NET takes for <see cref="FileShare.None"/>). The lock belongs to the open file, so it ends with
/// the process however the process ends (kill -9 included): a dead run leaves no stale lock behind.
/// </summary>
public sealed class RunLock : IDisposable
{
    public const string FileName = ".lock";
    readonly FileStream stream;

    RunLock(FileStream stream) => this.stream = stream;

    /// <summary>Takes the folder (creating it); throws <see cref="RunFolderInUseException"/> while another process holds it.</summary>
    public static RunLock Acquire(string runFolder)
    {
        Directory.CreateDirectory(runFolder);
        var path = Path.Combine(runFolder, FileName);
        try
        {
            return new RunLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException && File.Exists(path))
        {
            throw new RunFolderInUseException(runFolder);
        }
    }

    /// <summary>Whether another process holds the folder now (creates nothing).</summary>
    public static bool IsHeld(string runFolder)
    {
        var path = Path.Combine(runFolder, FileName);
        if (!File.Exists(path)) return false;
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 1, FileOptions.None);
            return false;
        }
        catch (FileNotFoundException) { return false; }
        catch (IOException) { return true; }
    }

    public void Dispose() => stream.Dispose();
}

/// <summary>Another running process is writing into the run folder.</summary>
public sealed class RunFolderInUseException(string runFolder)
    : IOException($"{runFolder} is in use by another running labelnoise process (train, a sweep worker or a resume): wait for it to end, or choose another folder")
{
    public string RunFolder { get; } = runFolder;
}
