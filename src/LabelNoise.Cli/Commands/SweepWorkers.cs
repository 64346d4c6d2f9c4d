using System.Diagnostics;
using System.Globalization;
using LabelNoise.Training;

namespace LabelNoise.Cli.Commands;

/// <summary>
/// Runs sweep points in child processes (this program with <c>sweep ... --index i --threads t --worker</c>), up to k
/// at a time. Threads in one process do not scale for the hand-written theory models: measured on 2 cores, two
/// quadratic-model runs on two threads took 1.1–1.9× the time of one (it varied from run to run), as two
/// processes 1.0–1.1×. A worker reports on standard output in lines the parent reads:
/// <c>@progress STEP TOTAL STEPS_PER_SECOND</c> and, at the end, <c>@status TEXT</c>.
/// </summary>
public static class SweepWorkers
{
    public const string ProgressPrefix = "@progress ";
    public const string StatusPrefix = "@status ";

    /// <summary>Runs each selected point in a child, reporting its start, progress and final status (points never started after a cancellation: "interrupted").</summary>
    /// <remarks>On cancellation (Ctrl+C reaches a terminal's whole process group anyway) the running workers get SIGINT: they checkpoint and stop.</remarks>
    public static void Run(IReadOnlyList<string> sweepArgs, int[] selected, int parallel, int threadsEach,
        Action<int, TrainingProgress> progress, Action<int> started, Action<int, string> finished, CancellationToken cancellation)
    {
        using var gate = new SemaphoreSlim(parallel);
        var tasks = selected.Select(async i =>
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                if (cancellation.IsCancellationRequested)
                {
                    finished(i, "interrupted");
                    return;
                }
                started(i);
                finished(i, await RunChild(sweepArgs, i, threadsEach, p => progress(i, p), cancellation).ConfigureAwait(false));
            }
            finally { gate.Release(); }
        }).ToArray();
        Task.WaitAll(tasks);
    }

    static async Task<string> RunChild(IReadOnlyList<string> sweepArgs, int index, int threads, Action<TrainingProgress> progress, CancellationToken cancellation)
    {
        var info = StartInfo([.. sweepArgs, "--index", index.ToString(CultureInfo.InvariantCulture), "--threads", threads.ToString(CultureInfo.InvariantCulture), "--worker"]);
        using var child = Process.Start(info) ?? throw new InvalidOperationException("could not start a sweep worker");
        using var forward = cancellation.Register(() => Interrupt(child.Id));
        string? status = null, lastError = null;
        child.ErrorDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data)) lastError = e.Data; };
        child.BeginErrorReadLine();
        while (await child.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith(StatusPrefix, StringComparison.Ordinal)) status = line[StatusPrefix.Length..];
            else if (line.StartsWith(ProgressPrefix, StringComparison.Ordinal) && ParseProgress(line[ProgressPrefix.Length..]) is { } p) progress(p);
        }
        await child.WaitForExitAsync().ConfigureAwait(false);
        return status ?? (child.ExitCode == 130 ? "interrupted" : "error: " + (lastError ?? $"the worker exited with code {child.ExitCode}"));
    }

    const int SigInt = 2;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    static extern int Kill(int pid, int signal);

    static void Interrupt(int pid)
    {
        try { Kill(pid, SigInt); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    static TrainingProgress? ParseProgress(string text)
    {
        var parts = text.Split(' ');
        return parts.Length == 3
            && long.TryParse(parts[0], CultureInfo.InvariantCulture, out long step)
            && long.TryParse(parts[1], CultureInfo.InvariantCulture, out long total)
            && double.TryParse(parts[2], CultureInfo.InvariantCulture, out double rate)
            ? new TrainingProgress(step, total, rate, null) : null;
    }

    /// <summary>A worker's line for a progress report.</summary>
    public static string ProgressLine(TrainingProgress p) =>
        string.Create(CultureInfo.InvariantCulture, $"{ProgressPrefix}{p.Step} {p.TotalSteps} {p.StepsPerSecond:F1}");

    /// <summary>This program again: its own executable, or the dotnet host with this assembly.</summary>
    static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        string host = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") info.ArgumentList.Add(typeof(SweepWorkers).Assembly.Location);
        info.ArgumentList.Add("sweep");
        foreach (var a in args) info.ArgumentList.Add(a);
        return info;
    }
}
