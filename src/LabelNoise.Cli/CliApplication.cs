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
/// A library exception that is not the user's (an <see cref="ArgumentException"/> other than a
/// <see cref="SettingException"/>, say) is exit 1 with "please report it".
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
        catch (Exception e) when (Environment.GetEnvironmentVariable("LABELNOISE_DEBUG") is null || IsUsers(e))
        {
            var (code, message) = Classify(e);
            return Fail(error, message, code);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>The exit code and sentence for an exception that reached the top: the user's (2), a diverged run (3), or ours (1).</summary>
    public static (int Code, string Message) Classify(Exception e) => e switch
    {
        DivergenceException => (Diverged, e.Message),
        _ when IsUsers(e) => (UsageError, e.Message),
        _ => (InternalError, $"unexpected {e.GetType().Name}: {e.Message} (set LABELNOISE_DEBUG=1 for details; please report it)"),
    };

    static bool IsUsers(Exception e) =>
        e is DivergenceException or UsageException or SettingException or DataFormatException or IOException or UnauthorizedAccessException;

    static int Fail(TextWriter error, string message, int code)
    {
        int end = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (end >= 0) message = message[..end];
        message = message.Split('\n')[0].Trim();
        error.WriteLine("error: " + message);
        return code;
    }
}
