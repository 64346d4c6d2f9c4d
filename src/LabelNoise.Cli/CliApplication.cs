using System.CommandLine;
using System.CommandLine.Invocation;
using LabelNoise.Cli.CommandLine;
using LabelNoise.Data;
using LabelNoise.Native;
using LabelNoise.Training;

namespace LabelNoise.Cli;

/// <summary>
/// The labelnoise program: parses the command line (<see cref="CliParser"/>), runs the command and turns every
/// user error into one sentence on standard error with exit code 2 (3 for a diverged run), never a stack trace.
/// </summary>
public static class CliApplication
{
    public const int UsageError = 2;
    public const int Diverged = 3;
    public const int InternalError = 1;

    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the program; what the parser prints (help, --version, completions, errors) goes to <paramref name="output"/> and <paramref name="error"/>.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        TorchSharpLoader.EnsureLoaded();
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (cancellation.IsCancellationRequested) return; // a second Ctrl+C ends the process
            e.Cancel = true;
            cancellation.Cancel();
            Console.Error.WriteLine("stopping after the current step (Ctrl+C again to abort)…");
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var parsed = CliParser.Parse(args is ["help"] ? ["--help"] : args);
            if (parsed.Action is ParseErrorAction) return Fail(error, ParseFailure.Sentence(parsed), UsageError);
            var invocation = new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false, // the catches below make every error one sentence
                ProcessTerminationTimeout = null, // Ctrl+C is ours (above): the run checkpoints and stops
            };
            return parsed.InvokeAsync(invocation, cancellation.Token).GetAwaiter().GetResult();
        }
        catch (DivergenceException e) { return Fail(error, e.Message, Diverged); }
        catch (Exception e) when (e is UsageException or ArgumentException or DataFormatException or IOException or UnauthorizedAccessException)
        {
            return Fail(error, e.Message, UsageError);
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("LABELNOISE_DEBUG") is null)
        {
            return Fail(error, $"unexpected {e.GetType().Name}: {e.Message} (set LABELNOISE_DEBUG=1 for details; please report it)", InternalError);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    static int Fail(TextWriter error, string message, int code)
    {
        int end = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (end >= 0) message = message[..end];
        message = message.Split('\n')[0].Trim();
        error.WriteLine("error: " + message);
        return code;
    }
}
