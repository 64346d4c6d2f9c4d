using System.ComponentModel;
using System.Diagnostics;

namespace LabelNoise.Benchmarks;

/// <summary>How a child process ended: its exit code (−1 when it could not start or was killed), its output, and whether it ran out of time.</summary>
public sealed record ChildProcessResult(int ExitCode, string Output, string Error, bool TimedOut)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>The last non-empty line of standard error (or of the output), for a one-sentence reason.</summary>
    public string LastMessage => LastLine(Error) ?? LastLine(Output) ?? $"exit code {ExitCode}";

    static string? LastLine(string text) => text.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0);
}

/// <summary>
/// Runs a program with arguments and changes to the environment (a null value removes a variable),
/// with no standard input, killing it (and its children) after a timeout.
/// </summary>
public static class ChildProcess
{
    public static ChildProcessResult Run(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        if (environment is not null)
            foreach (var (key, value) in environment)
                if (value is null) info.Environment.Remove(key);
                else info.Environment[key] = value;
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new Win32Exception($"could not start {program}");
        }
        catch (Win32Exception e)
        {
            return new ChildProcessResult(-1, "", $"cannot run {program}: {e.Message}", false);
        }
        using (process)
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            bool finished = process.WaitForExit(timeout);
            if (!finished)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                process.WaitForExit();
            }
            else process.WaitForExit(); // drains the redirected streams
            return new ChildProcessResult(finished ? process.ExitCode : -1, output.Result, error.Result, !finished);
        }
    }
}
