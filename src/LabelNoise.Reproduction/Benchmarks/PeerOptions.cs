namespace LabelNoise.Benchmarks;

/// <summary>Where the PyTorch peers run from, on how many threads, and whether <see cref="PeerRunner.Prepare"/> may install them.</summary>
public sealed record PeerOptions
{
    /// <summary>Debian's interpreter, the one python3-torch installs into (not a pyenv python3 on PATH).</summary>
    public const string DebianPython = "/usr/bin/python3";

    /// <summary>
    /// The Debian packages the peers need: PyTorch, and OpenBLAS instead of the reference BLAS (~30×
    /// slower). OpenBLAS's OpenMP build: PyTorch runs its own ops on OpenMP threads, and next to them
    /// the pthread build's threads fight OpenMP's spinning ones (a batch-256 MLP step: 4.5 ms with the
    /// OpenMP build, 25 ms with the pthread build, 4.8 ms with it and OMP_WAIT_POLICY=PASSIVE).
    /// </summary>
    public static readonly IReadOnlyList<string> Packages = ["python3-torch", "libopenblas0-openmp"];

    public string Interpreter { get; init; } = DebianPython;

    /// <summary>The folder of the peer scripts; null: <see cref="PeerScripts.Locate"/>.</summary>
    public string? ScriptsFolder { get; init; }

    /// <summary>Whether missing packages may be installed with apt-get (only as root, only for <see cref="DebianPython"/>).</summary>
    public bool AllowInstall { get; init; } = true;

    public int Threads { get; init; } = 2;
    public TimeSpan InstallTimeout { get; init; } = TimeSpan.FromMinutes(20);
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The apt-get command that installs what the peers need, for messages.</summary>
    public static string InstallCommand => "apt-get install " + string.Join(" ", Packages);
}
