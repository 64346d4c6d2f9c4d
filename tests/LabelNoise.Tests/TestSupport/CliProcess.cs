using System.Diagnostics;

namespace LabelNoise.Tests.TestSupport;

/// <summary>Runs the real labelnoise program (built next to the tests) in its own process.</summary>
public static class CliProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "LabelNoise.Cli.dll");

    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment.Remove("LABELNOISE_DEBUG");
        return info;
    }

    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(true);
            throw new TimeoutException($"labelnoise {string.Join(" ", args)} did not finish in 120 s");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
