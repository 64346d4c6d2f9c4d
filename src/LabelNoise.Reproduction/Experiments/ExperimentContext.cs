namespace LabelNoise.Experiments;

/// <summary>How large to run: Tiny for tests (seconds), Laptop (the default suite), Full (the paper's scale, given the hardware and data).</summary>
public enum ExperimentScale { Tiny, Laptop, Full }

/// <summary>Where and how an experiment runs.</summary>
public sealed record ExperimentContext(string Folder, ExperimentScale Scale, ulong Seed, IProgress<string>? Progress = null, CancellationToken Cancellation = default)
{
    public void Report(string message) => Progress?.Report(message);
}
