using System.Text.Json.Nodes;
using LabelNoise.Benchmarks;
using LabelNoise.Tests.TestSupport;

namespace LabelNoise.Tests.Benchmarks;

public class PeerRunnerTests
{
    [Fact]
    public void AMissingInterpreterMakesThePeersUnavailableWithOneSentence()
    {
        var runner = new PeerRunner(new PeerOptions { Interpreter = "/nonexistent/python3" });
        var setup = runner.Prepare();
        Assert.False(setup.Available);
        Assert.Contains("/nonexistent/python3", setup.Reason);
        Assert.Contains("apt-get install python3-torch", setup.Reason);
        Assert.Empty(setup.Actions); // never installs for an interpreter other than Debian's
        var result = runner.Run(setup, "mlp", new JsonObject(), TimeSpan.FromSeconds(5));
        Assert.Equal(PeerStatus.Unavailable, result.Status);
    }

    [Fact]
    public void MissingScriptsMakeThePeersUnavailable()
    {
        using var folder = new TempFolder();
        var setup = new PeerRunner(new PeerOptions { Interpreter = "/nonexistent/python3", ScriptsFolder = folder.Path }).Prepare();
        Assert.False(setup.Available);
        Assert.Contains("peer scripts", setup.Reason);
    }

    [Fact]
    public void TheRepositoryScriptsAreFound()
    {
        var folder = PeerScripts.Locate();
        Assert.NotNull(folder);
        foreach (var family in new[] { "mlp", "quadratic" })
            Assert.True(File.Exists(PeerScripts.ScriptFile(folder!, family)), family);
    }

    [Fact]
    public void APeerLineIsParsedAndMergedIntoTheReport()
    {
        using var fake = FakePeer.Create("""{"environment": {"torch": "9.9", "python": "3.0", "blas": "OpenBLAS", "blas_check": "maps"}, "matmul": {"gflops": 50.0}, "workloads": {}}""",
            """{"environment": {"torch": "9.9"}, "workloads": {"quadratic-step": {"samples_ms": [0.05, 0.01, 0.03], "peak_mb": 12.5}}}""");
        var runner = new PeerRunner(fake.Options);
        var report = BenchSuite.Run(BenchSettings.Quick, runner, ["quadratic-step"]);
        var step = Assert.Single(report.Workloads);
        Assert.Equal(PeerStatus.Ok, step.PeerStatus);
        Assert.Equal(0.03, step.Peer!.MedianMilliseconds, 15);
        Assert.Equal(0.03 / step.Ours.Timing.MedianMilliseconds, step.Ratio!.Value, 12);
        var json = report.ToJson();
        Assert.Equal("9.9", json["versions"]!["pytorch"]!.GetValue<string>());
        Assert.Equal("OpenBLAS", json["peer"]!["blas"]!.GetValue<string>());
        Assert.Equal(50.0, json["matmul"]!["peer_gflops"]!.GetValue<double>());
        Assert.Equal(12.5, json["workloads"]!["quadratic-step"]!["peer_peak_mb"]!.GetValue<double>());
    }

    [Fact]
    public void EachGroupsPeerRunsRightAfterOurSideOfIt()
    {
        using var fake = FakePeer.Create("""{"environment": {}, "workloads": {"mlp-step": {"samples_ms": [1.0]}}}""",
            """{"environment": {}, "workloads": {"quadratic-step": {"samples_ms": [0.05]}}}""");
        var steps = new List<string>();
        var report = BenchSuite.Run(BenchSettings.Quick, new PeerRunner(fake.Options), ["quadratic-step", "mlp-step"], new SynchronousProgress(steps.Add));
        var order = steps.Where(s => s.StartsWith("mlp-step") || s.StartsWith("quadratic-step") || s.StartsWith("PyTorch peer")).Select(s => s.Split(':')[0] + (s.StartsWith("PyTorch") ? s[s.LastIndexOf('/')..] : "")).ToArray();
        Assert.Equal(["mlp-step", "PyTorch peer/mlp.py", "quadratic-step", "PyTorch peer/quadratic.py"], order);
        Assert.All(report.Workloads, w => Assert.Equal(PeerStatus.Ok, w.PeerStatus));
    }

    sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }

    [Fact]
    public void AMalformedOrFailingPeerIsReportedAsFailedNotThrown()
    {
        using var fake = FakePeer.Create("""{"error": "RuntimeError: no BLAS"}""", "not json at all");
        var report = BenchSuite.Run(BenchSettings.Quick, new PeerRunner(fake.Options), ["quadratic-step"]);
        var step = Assert.Single(report.Workloads);
        Assert.Equal(PeerStatus.Failed, step.PeerStatus);
        Assert.Null(step.Ratio);
        Assert.Equal(PeerStatus.Failed, report.PeerFamilies["mlp"].Status);
        Assert.Contains("no BLAS", report.PeerFamilies["mlp"].Reason);
    }

    /// <summary>A shell script standing in for python3: "-c" prints a version, a script prints that family's canned line.</summary>
    sealed class FakePeer : IDisposable
    {
        readonly TempFolder folder = new();

        public PeerOptions Options => new() { Interpreter = folder.File("python3"), ScriptsFolder = folder.Path, AllowInstall = false };

        public static FakePeer Create(string mlpLine, string quadraticLine)
        {
            var fake = new FakePeer();
            File.WriteAllText(fake.folder.File("mlp.py"), "");
            File.WriteAllText(fake.folder.File("quadratic.py"), "");
            File.WriteAllText(fake.folder.File("mlp.json"), mlpLine + "\n");
            File.WriteAllText(fake.folder.File("quadratic.json"), quadraticLine + "\n");
            var script = fake.folder.File("python3");
            File.WriteAllText(script, "#!/bin/sh\nif [ \"$2\" = \"-c\" ]; then echo 9.9; exit 0; fi\ncat \"${2%.py}.json\"\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return fake;
        }

        public void Dispose() => folder.Dispose();
    }
}
