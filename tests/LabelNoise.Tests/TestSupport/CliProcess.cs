using System.Diagnostics;

namespace LabelNoise.Tests.TestSupport;

/// <summary>
/// Runs the real labelnoise program (built next to the tests) in its own process, with SIGINT at its default
/// disposition: a test suite started in the background of a non-interactive shell, or under nohup, inherits SIGINT
/// ignored, and a child that ignores it cannot be interrupted (coreutils' env execs the program with the same process id).
/// </summary>
public static class CliProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "LabelNoise.Cli.dll");

    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var info = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--default-signal=INT");
        info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment.Remove("LABELNOISE_DEBUG");
        return info;
    }

    /// <summary>Starts the program; disposing the process kills it and its children (sweep workers) if a test left it running.</summary>
    public static Process Start(params string[] args)
    {
        var process = new KilledOnDispose { StartInfo = StartInfo(args) };
        process.Start();
        return process;
    }

    sealed class KilledOnDispose : Process
    {
        protected override void Dispose(bool disposing)
        {
            try
            {
                if (disposing && !HasExited)
                {
                    Kill(entireProcessTree: true);
                    WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException) { } // never started, or gone already
            base.Dispose(disposing);
        }
    }

    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var process = Start(args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        // A bound for a hang, far above any run here: the suite runs test classes side by side on 2 cores.
        if (!process.WaitForExit(300_000))
        {
            process.Kill(true);
            throw new TimeoutException($"labelnoise {string.Join(" ", args)} did not finish in 300 s");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
