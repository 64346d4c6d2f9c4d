using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LabelNoise.Benchmarks;

/// <summary>
/// Runs the PyTorch peers: finds the interpreter (Debian's /usr/bin/python3 unless told otherwise)
/// and the scripts, checks that PyTorch imports, installs python3-torch and OpenBLAS with apt-get
/// when they are missing and this process is root (quietly, with a timeout), and otherwise reports
/// the peers unavailable with a one-sentence reason; never throws for a missing peer. A script gets
/// one JSON argument and prints one JSON line; it runs with OpenBLAS's folder first on its library
/// path (so that libblas.so.3 is OpenBLAS whatever the system's alternative is) and its thread
/// variables set to the benchmark's thread count.
/// </summary>
public sealed class PeerRunner(PeerOptions options)
{
    const string AptGet = "/usr/bin/apt-get";
    public PeerOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Checks (and if allowed installs) what the peers need.</summary>
    public PeerSetup Prepare(IProgress<string>? progress = null)
    {
        var actions = new List<string>();
        string interpreter = Options.Interpreter;
        string? scripts = Options.ScriptsFolder ?? PeerScripts.Locate();
        if (scripts is null || !File.Exists(PeerScripts.ScriptFile(scripts, "mlp")))
            return PeerSetup.Unavailable(interpreter, $"the peer scripts ({PeerScripts.RelativeFolder}/*.py) were not found next to the program or the working directory (set {PeerScripts.EnvironmentVariable})");

        bool mayInstall = Options.AllowInstall && interpreter == PeerOptions.DebianPython && IsRoot() && File.Exists(AptGet);
        string? torch = File.Exists(interpreter) ? TorchVersion(interpreter) : null;
        if (torch is null && mayInstall)
        {
            progress?.Report($"installing {string.Join(" and ", PeerOptions.Packages)} with apt-get (once; this can take minutes)");
            var install = Install(PeerOptions.Packages);
            actions.Add(install.Succeeded ? $"installed {string.Join(", ", PeerOptions.Packages)}" : $"apt-get install failed: {install.LastMessage}");
            torch = File.Exists(interpreter) ? TorchVersion(interpreter) : null;
        }
        if (torch is null)
        {
            string reason = !File.Exists(interpreter)
                ? $"there is no Python interpreter at {interpreter} (the peers need Debian's python3 with PyTorch: {PeerOptions.InstallCommand})"
                : $"PyTorch cannot be imported by {interpreter} (install it with: {PeerOptions.InstallCommand})";
            return PeerSetup.Unavailable(interpreter, reason, actions);
        }

        string? openBlas = OpenBlasFolder();
        if (openBlas is null && mayInstall)
        {
            progress?.Report("installing OpenBLAS (libopenblas0-openmp) with apt-get");
            var install = Install(["libopenblas0-openmp"]);
            actions.Add(install.Succeeded ? "installed libopenblas0-openmp" : $"apt-get install libopenblas0-openmp failed: {install.LastMessage}");
            openBlas = OpenBlasFolder();
        }
        return new PeerSetup(true, null, interpreter, scripts, openBlas, torch, actions);
    }

    /// <summary>Runs bench/peers/FAMILY.py with the configuration as its one argument and parses its JSON line.</summary>
    public PeerFamilyResult Run(PeerSetup setup, string family, JsonObject configuration, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(configuration);
        if (!setup.Available) return new PeerFamilyResult(PeerStatus.Unavailable, setup.Reason, null);
        string script = PeerScripts.ScriptFile(setup.ScriptsFolder!, family);
        if (!File.Exists(script)) return new PeerFamilyResult(PeerStatus.Unavailable, $"the peer script {script} does not exist", null);
        var result = ChildProcess.Run(setup.Interpreter, ["-B", script, configuration.ToJsonString()], Environment(setup), timeout);
        if (result.TimedOut)
            return new PeerFamilyResult(PeerStatus.Failed, $"{family}.py did not finish within {timeout.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s", null);
        var line = result.Output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'));
        JsonObject? output = null;
        try
        {
            output = line is null ? null : JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException) { }
        if (output?["error"] is JsonNode error) return new PeerFamilyResult(PeerStatus.Failed, $"{family}.py: {error}", output);
        if (!result.Succeeded || output is null)
            return new PeerFamilyResult(PeerStatus.Failed, $"{family}.py failed: {result.LastMessage}", output);
        return new PeerFamilyResult(PeerStatus.Ok, null, output);
    }

    Dictionary<string, string?> Environment(PeerSetup setup)
    {
        string threads = Options.Threads.ToString(CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string?>
        {
            ["OMP_NUM_THREADS"] = threads,
            ["OPENBLAS_NUM_THREADS"] = threads,
            ["MKL_NUM_THREADS"] = threads,
            ["PYTHONDONTWRITEBYTECODE"] = "1",
            ["PYTHONNOUSERSITE"] = "1",
            ["PYTHONPATH"] = null,
            ["PYTHONHOME"] = null,
        };
        if (setup.OpenBlasFolder is { } folder)
        {
            string? existing = System.Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
            environment["LD_LIBRARY_PATH"] = string.IsNullOrEmpty(existing) ? folder : folder + ":" + existing;
            // OpenBLAS's own threads next to OpenMP's: OpenMP's must not spin (see PeerOptions.Packages).
            if (folder.EndsWith("openblas-pthread", StringComparison.Ordinal)) environment["OMP_WAIT_POLICY"] = "PASSIVE";
        }
        return environment;
    }

    string? TorchVersion(string interpreter) => TorchVersion(interpreter, Options.CheckTimeout);

    /// <summary>PyTorch's version as the interpreter imports it (with no user site or PYTHONPATH), or null when it cannot.</summary>
    public static string? TorchVersion(string interpreter, TimeSpan timeout)
    {
        var result = ChildProcess.Run(interpreter, ["-B", "-c", "import torch; print(torch.__version__)"],
            new Dictionary<string, string?> { ["PYTHONPATH"] = null, ["PYTHONHOME"] = null, ["PYTHONNOUSERSITE"] = "1" }, timeout);
        return result.Succeeded ? result.Output.Trim().Split('\n')[^1].Trim() : null;
    }

    ChildProcessResult Install(IReadOnlyList<string> packages)
    {
        var environment = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        string[] lockWait = ["-o", "DPkg::Lock::Timeout=300"];
        string[] install = ["install", "-y", "-q", "--no-install-recommends", .. lockWait, .. packages];
        var result = ChildProcess.Run(AptGet, install, environment, Options.InstallTimeout);
        if (result.Succeeded || result.TimedOut) return result;
        // Often the package lists are missing or stale: refresh them once and try again.
        var update = ChildProcess.Run(AptGet, ["update", "-q", .. lockWait], environment, Options.InstallTimeout);
        return update.Succeeded ? ChildProcess.Run(AptGet, install, environment, Options.InstallTimeout) : result;
    }

    /// <summary>
    /// Debian's OpenBLAS folder (libblas.so.3 and liblapack.so.3 of OpenBLAS), the OpenMP build first
    /// (see <see cref="PeerOptions.Packages"/>), or null when none is installed.
    /// </summary>
    public static string? OpenBlasFolder()
    {
        string triplet = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.Arm64 => "aarch64-linux-gnu",
            _ => "x86_64-linux-gnu",
        };
        foreach (var variant in new[] { "openblas-openmp", "openblas-pthread", "openblas-serial" })
        {
            var folder = $"/usr/lib/{triplet}/{variant}";
            if (File.Exists(Path.Combine(folder, "libblas.so.3"))) return folder;
        }
        return null;
    }

    /// <summary>Whether this process runs as root (Linux: the real uid in /proc/self/status is 0).</summary>
    static bool IsRoot()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            var fields = line?[4..].Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return fields is { Length: > 0 } && fields[0] == "0";
        }
        catch (IOException) { return false; }
    }
}
