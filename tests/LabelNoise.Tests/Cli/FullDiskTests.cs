using System.Diagnostics;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Training;

namespace LabelNoise.Tests.Cli;

/// <summary>
/// A full disk loses nothing: on a small tmpfs (mounted by the test, which needs root, as CI is) a run or a
/// reproduction that cannot write stops with one sentence and a non-zero exit, and what was there before stays
/// intact and resumable.
/// </summary>
[Collection("full disk")]
public sealed class FullDiskTests : IDisposable
{
    readonly string mount = Path.Combine(Path.GetTempPath(), "labelnoise-tmpfs-" + Guid.NewGuid().ToString("N"));

    public FullDiskTests()
    {
        Directory.CreateDirectory(mount);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount);
        Assert.True(code == 0, $"these tests mount a small tmpfs and need root: 'mount -t tmpfs' failed: {output}");
    }

    public void Dispose()
    {
        Run("umount", mount);
        if (Directory.Exists(mount)) Directory.Delete(mount, true);
    }

    static (int Code, string Output) Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        string text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, text);
    }

    /// <summary>Writes into the tmpfs until it is full.</summary>
    string Fill()
    {
        string filler = Path.Combine(mount, "filler");
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, 0);
        var block = new byte[4096];
        try
        {
            while (true) stream.Write(block);
        }
        catch (IOException) { }
        return filler;
    }

    static void OneSentence((int ExitCode, string Output, string Error) result, params string[] parts)
    {
        Assert.NotEqual(0, result.ExitCode);
        var errors = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToArray();
        Assert.True(errors.Length == 1, result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        foreach (var part in parts) Assert.Contains(part, errors[0]);
    }

    static string[] Train(string folder) =>
        ["train", "--model", "quadratic", "--data", "sparse:d=20,n=10,r=2,seed=1", "--noise", "pm:1", "--lr", "0.005", "--batch", "1",
         "--steps", "4000000", "--eval-every", "5000", "--checkpoint-every", "100000", "--out", folder];

    [Fact]
    public async Task ARunThatCannotWriteStopsAndResumesToTheUninterruptedResult()
    {
        using var reference = new TempFolder();
        var whole = CliProcess.Run(Train(reference.File("whole")));
        Assert.True(whole.ExitCode == 0, whole.Error);

        string run = Path.Combine(mount, "run");
        (int ExitCode, string Output, string Error) stopped;
        using (var process = CliProcess.Start(Train(run)))
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            var state = Path.Combine(Checkpoint.FolderOf(run), Checkpoint.StateFile);
            var clock = Stopwatch.StartNew();
            while (!File.Exists(state) && !process.HasExited && clock.Elapsed.TotalSeconds < 60) Thread.Sleep(5);
            Assert.False(process.HasExited, "the run finished before the disk could be filled");
            string filler = Fill();
            Assert.True(process.WaitForExit(60_000), "the run did not stop on a full disk");
            stopped = (process.ExitCode, await output, await error);
            File.Delete(filler);
        }
        OneSentence(stopped, "could not be written", "--resume");
        Assert.False(File.Exists(Path.Combine(run, Trainer.FinalParametersFile)));
        Assert.Empty(Directory.GetDirectories(run, "checkpoint.tmp-*"));

        ResumedRun.ResumeAndAssertSameAs(reference.File("whole"), run);
    }

    [Fact]
    public void AReproductionThatCannotWriteKeepsTheEarlierResultsWhole()
    {
        string results = Path.Combine(mount, "results");
        var first = CliProcess.Run("reproduce", "regularization-strength", "--tiny", "--out", results);
        Assert.True(first.ExitCode == 0, first.Error);
        var before = Directory.GetFiles(results, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        Assert.Contains(Path.Combine(results, "report.md"), before.Keys);

        string filler = Fill();
        var second = CliProcess.Run("reproduce", "regularization-strength", "--tiny", "--out", results);
        File.Delete(filler);
        OneSentence(second, "No space left on device");

        var after = Directory.GetFiles(results, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, kv => Assert.Equal(kv.Value, after[kv.Key]));
        Assert.Equal([Path.Combine(results, "regularization-strength")], Directory.GetDirectories(results));
    }
}
