using LabelNoise.Cli.CommandLine;
using LabelNoise.Cli.Commands;
using LabelNoise.Data;
using LabelNoise.Native;
using LabelNoise.Training;

namespace LabelNoise.Cli;

/// <summary>
/// The labelnoise program: dispatches to a command and turns every user error into one sentence
/// on standard error with exit code 2 (3 for a diverged run), never a stack trace.
/// </summary>
public static class CliApplication
{
    public const int UsageError = 2;
    public const int Diverged = 3;
    public const int InternalError = 1;

    const string Help = """
        labelnoise — SGD with label noise (Damian, Ma, Lee, NeurIPS 2021) as research software

        commands:
          train       run Algorithm 1 (label-noise SGD) on a model and data set
          sweep       a grid of training runs, in parallel or one point per cluster job
          measure     loss, Hessian trace and spectrum, R(θ), λ, L + λR at a parameter point
          reproduce   reproduce the paper's claims at laptop scale (results/ and a report)
          bench       time the workloads against the same ones in PyTorch
          export      write a run's parameters as a PyTorch state_dict (*.pt)

        'labelnoise COMMAND --help' describes a command; 'labelnoise --version' prints the version.
        """;

    public static int Run(string[] args)
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
            if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
            {
                Console.WriteLine(Help);
                return args.Length == 0 ? UsageError : 0;
            }
            if (args[0] == "--version")
            {
                Console.WriteLine(RunConfigFile.Versions()["labelnoise"]!.GetValue<string>());
                return 0;
            }
            var rest = args[1..];
            bool wantsHelp = rest.Contains("--help") || rest.Contains("-h");
            return args[0] switch
            {
                "train" when wantsHelp => PrintHelp(TrainCommand.Help),
                "train" => TrainCommand.Run(rest, cancellation.Token),
                "measure" when wantsHelp => PrintHelp(MeasureCommand.Help),
                "measure" => MeasureCommand.Run(rest),
                "sweep" when wantsHelp => PrintHelp(SweepCommand.Help),
                "sweep" => SweepCommand.Run(rest, cancellation.Token),
                "reproduce" when wantsHelp => PrintHelp(ReproduceCommand.Help),
                "reproduce" => ReproduceCommand.Run(rest, cancellation.Token),
                "bench" when wantsHelp => PrintHelp(BenchCommand.Help),
                "bench" => BenchCommand.Run(rest),
                "export" when wantsHelp => PrintHelp(ExportCommand.Help),
                "export" => ExportCommand.Run(rest),
                _ => throw new UsageException($"unknown command '{args[0]}' (commands: train, measure, sweep, reproduce, bench, export)"),
            };
        }
        catch (DivergenceException e) { return Fail(e.Message, Diverged); }
        catch (Exception e) when (e is UsageException or ArgumentException or DataFormatException or IOException or UnauthorizedAccessException)
        {
            return Fail(e.Message, UsageError);
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("LABELNOISE_DEBUG") is null)
        {
            return Fail($"unexpected {e.GetType().Name}: {e.Message} (set LABELNOISE_DEBUG=1 for details; please report it)", InternalError);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    static int PrintHelp(string text)
    {
        Console.WriteLine(text);
        return 0;
    }

    static int Fail(string message, int code)
    {
        int end = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (end >= 0) message = message[..end];
        message = message.Split('\n')[0].Trim();
        Console.Error.WriteLine("error: " + message);
        return code;
    }
}
