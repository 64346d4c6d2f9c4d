using System.Diagnostics;
using System.Text.Json;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Training;
using LabelNoise.Files;

namespace LabelNoise.Tests.Cli;

/// <summary>
/// <c>kill -9</c> at several moments of a run: each time metrics rows were written past the last checkpoint, so
/// that <c>--resume</c> has to roll those rows back; the run resumed twice ends with the uninterrupted run's
/// parameters and exactly its metrics rows (every column but the elapsed time).
/// </summary>
public class TrainKillTests
{
    const long Steps = 1_500_000, EvalEvery = 15_000, CheckpointEvery = 300_000;

    static string[] Args(string folder) =>
    [
        "train", "--model", "quadratic", "--data", "sparse", "--noise", "pm:1", "--lr", "0.005", "--batch", "1",
        "--steps", Steps.ToString(), "--eval-every", EvalEvery.ToString(), "--checkpoint-every", CheckpointEvery.ToString(),
        "--seed", "4", "--out", folder,
    ];

    static long CheckpointStep(string run)
    {
        var state = Path.Combine(Checkpoint.FolderOf(run), "state.json");
        if (!File.Exists(state)) return -1;
        try { return JsonDocument.Parse(File.ReadAllText(state)).RootElement.GetProperty("Step").GetInt64(); }
        catch (Exception e) when (e is JsonException or IOException or KeyNotFoundException) { return -1; } // being replaced
    }

    static long LastRowStep(string run)
    {
        var path = Path.Combine(run, MetricsSink.CsvFile);
        if (!File.Exists(path)) return -1;
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0 && char.IsDigit(l[0])).ToArray();
        return lines.Length == 0 ? -1 : long.Parse(lines[^1].Split(',')[0]);
    }

    /// <summary>Kills the process with SIGKILL once a checkpoint at or after <paramref name="after"/> exists and rows lie past it; returns the checkpoint's step.</summary>
    static long KillPastACheckpoint(Process process, string run, long after, long evalEvery = EvalEvery)
    {
        _ = process.StandardOutput.ReadToEndAsync(); // drained, so that a full pipe never blocks the run
        _ = process.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (!process.HasExited)
        {
            long checkpoint = CheckpointStep(run);
            if (checkpoint >= after && LastRowStep(run) >= checkpoint + 2 * evalEvery) break;
            if (clock.Elapsed.TotalSeconds > 600)
            {
                process.Kill();
                Assert.Fail($"no checkpoint at or after step {after} with rows past it within 600 s (checkpoint {checkpoint}, last row {LastRowStep(run)})");
            }
            Thread.Sleep(2);
        }
        Assert.False(process.HasExited, "the run finished before it could be killed");
        process.Kill(); // SIGKILL: no chance to clean up
        process.WaitForExit();
        long step = CheckpointStep(run);
        Assert.True(step >= after, $"killed at checkpoint {step}, before step {after}");
        // The precondition of the test: rows past the checkpoint, which a resume must drop and write again.
        Assert.True(LastRowStep(run) > step, $"killed with the last row at step {LastRowStep(run)} and the checkpoint at {step}: nothing to roll back");
        Assert.False(File.Exists(Path.Combine(run, Trainer.FinalParametersFile)));
        return step;
    }

    /// <summary>
    /// The rows of a metrics file without the elapsed time (batch_loss included: a resume keeps the row of its checkpoint's step).
    /// </summary>
    static string[] Rows(string run, string file)
    {
        var lines = File.ReadAllLines(Path.Combine(run, file));
        if (file == MetricsSink.CsvFile)
        {
            var header = lines[0].Split(',');
            int elapsed = Array.IndexOf(header, "elapsed_s"), batchLoss = Array.IndexOf(header, "batch_loss");
            Assert.True(elapsed > 0 && batchLoss > 0);
            return [.. lines.Select(l =>
            {
                var cells = l.Split(',');
                return string.Join(",", cells.Where((_, c) => c != elapsed));
            })];
        }
        return [.. lines.Select(l =>
        {
            var row = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(l)!;
            row.Remove("elapsed_s");
            return JsonSerializer.Serialize(row);
        })];
    }

    [Fact]
    public void KilledTwicePastACheckpointResumesToTheUninterruptedRun()
    {
        using var folder = new TempFolder();
        string whole = folder.File("whole"), cut = folder.File("cut");
        var reference = CliProcess.Run(Args(whole));
        Assert.True(reference.ExitCode == 0, reference.Error);

        long first, second;
        using (var process = CliProcess.Start(Args(cut)))
            first = KillPastACheckpoint(process, cut, CheckpointEvery);
        using (var process = CliProcess.Start("train", "--resume", cut))
            second = KillPastACheckpoint(process, cut, first + CheckpointEvery);
        Assert.True(second > first, $"the second kill came at checkpoint {second}, not after the first's {first}");
        var resumed = CliProcess.Run("train", "--resume", cut);
        Assert.True(resumed.ExitCode == 0, resumed.Error);

        Assert.Equal(File.ReadAllText(Path.Combine(whole, Trainer.FinalParametersFile)), File.ReadAllText(Path.Combine(cut, Trainer.FinalParametersFile)));
        foreach (var file in new[] { MetricsSink.CsvFile, MetricsSink.JsonFile })
        {
            var expected = Rows(whole, file);
            Assert.Equal(Steps / EvalEvery + 1 + (file == MetricsSink.CsvFile ? 1 : 0), expected.Length); // steps 0, EvalEvery, …, Steps (and the CSV's header)
            Assert.Equal(expected, Rows(cut, file));
        }
    }

    /// <summary>The same for a convolutional network (autograd, label flipping, momentum): killed once, resumed to the uninterrupted run.</summary>
    [Fact]
    public void KilledCnnRunResumesToTheUninterruptedRun() => KilledOnceResumesToTheUninterruptedRun(folder =>
    [
        "train", "--model", "cnn:2", "--data", "fashion-mnist", "--train-size", "100", "--test-size", "50", "--noise", "flip:0.2",
        "--lr", "0.05", "--momentum", "0.9", "--batch", "5", "--steps", "4000", "--eval-every", "100", "--checkpoint-every", "400",
        "--seed", "7", "--out", folder,
    ]);

    /// <summary>The same for a user's scripted module (conv + GroupNorm, made by Debian's PyTorch) on a tensors file.</summary>
    [Fact]
    public void KilledTorchScriptRunResumesToTheUninterruptedRun()
    {
        using var fixtures = new TempFolder();
        var (model, data, _, _) = LabelNoise.Tests.Models.TorchScriptModelTests.Make(fixtures, "convgn");
        KilledOnceResumesToTheUninterruptedRun(folder =>
        [
            "train", "--model", "torchscript:" + model, "--data", "tensors:" + data, "--noise", "flip:0.2",
            "--lr", "0.05", "--momentum", "0.9", "--batch", "4", "--steps", "4000", "--eval-every", "100", "--checkpoint-every", "400",
            "--seed", "7", "--out", folder,
        ]);
    }

    static void KilledOnceResumesToTheUninterruptedRun(Func<string, string[]> args)
    {
        using var folder = new TempFolder();
        string whole = folder.File("whole"), cut = folder.File("cut");
        var reference = CliProcess.Run(args(whole));
        Assert.True(reference.ExitCode == 0, reference.Error);
        using (var process = CliProcess.Start(args(cut)))
            KillPastACheckpoint(process, cut, 400, evalEvery: 100);
        var resumed = CliProcess.Run("train", "--resume", cut);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(File.ReadAllText(Path.Combine(whole, Trainer.FinalParametersFile)), File.ReadAllText(Path.Combine(cut, Trainer.FinalParametersFile)));
        Assert.Equal(Rows(whole, MetricsSink.CsvFile), Rows(cut, MetricsSink.CsvFile));
    }
}
