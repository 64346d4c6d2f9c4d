namespace LabelNoise.Experiments;

/// <summary>How large to run: Tiny for tests (seconds), Laptop (the default suite), Full (the paper's scale, given the hardware and data).</summary>
public enum ExperimentScale { Tiny, Laptop, Full }

/// <summary>Where and how an experiment runs.</summary>
public sealed record ExperimentContext(string Folder, ExperimentScale Scale, ulong Seed, IProgress<string>? Progress = null, CancellationToken Cancellation = default)
{
    public void Report(string message) => Progress?.Report(message);

    /// <summary>
    /// The folder of another experiment that finished in the same results folder (its summary is written), or null: how one
    /// experiment reuses another's results through the runner's layout, by name, rather than by a path of its own.
    /// </summary>
    public string? Finished(string experiment)
    {
        string folder = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(Folder))!, experiment);
        return File.Exists(Path.Combine(folder, ExperimentSummary.FileName)) ? folder : null;
    }
}
