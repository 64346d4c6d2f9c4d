namespace LabelNoise.Benchmarks;

/// <summary>
/// One benchmark workload: a named piece of the project's real code path, timed with warm-up and
/// repeats. Its PyTorch peer lives in bench/peers/&lt;<see cref="PeerFamily"/>&gt;.py under the same name.
/// </summary>
public interface IBenchWorkload
{
    string Name { get; }
    string Description { get; }

    /// <summary>The peer script (bench/peers/FAMILY.py) that runs the same workload in PyTorch.</summary>
    string PeerFamily { get; }

    /// <summary>Runs and times the workload; peak memory is taken by the caller.</summary>
    WorkloadMeasurement Run(BenchContext context);
}
