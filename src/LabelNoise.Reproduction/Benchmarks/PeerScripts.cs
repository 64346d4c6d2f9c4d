namespace LabelNoise.Benchmarks;

/// <summary>
/// Finds the PyTorch peer scripts (bench/peers/*.py of the repository): the folder named by the
/// environment variable LABELNOISE_PEERS, else bench/peers above the program's folder (the
/// repository the program was built in) or above the working directory.
/// </summary>
public static class PeerScripts
{
    public const string EnvironmentVariable = "LABELNOISE_PEERS";
    public const string RelativeFolder = "bench/peers";

    /// <summary>The script of a workload family, e.g. "mlp" → …/bench/peers/mlp.py.</summary>
    public static string ScriptFile(string folder, string family) => Path.Combine(folder, family + ".py");

    public static string? Locate()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } named)
            return Directory.Exists(named) ? Path.GetFullPath(named) : null;
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, RelativeFolder);
                if (File.Exists(ScriptFile(candidate, "mlp"))) return candidate;
            }
        }
        return null;
    }
}
