using System.Text.Json.Nodes;
using LabelNoise.Benchmarks;

namespace LabelNoise.Tests.TestSupport;

/// <summary>
/// Runs scripts/pytorch/twin_check.py with Debian's PyTorch (installed by <see cref="PeerRunner.Prepare"/> when
/// missing, as the benchmark does); fails the test with the reason where PyTorch cannot be had.
/// </summary>
public static class PyTorchTwin
{
    static readonly Lazy<PeerSetup> Setup = new(() => new PeerRunner(new PeerOptions()).Prepare());

    public static string ScriptsFolder
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, "scripts", "pytorch");
                if (File.Exists(Path.Combine(candidate, "twin_check.py"))) return candidate;
            }
            throw new InvalidOperationException("scripts/pytorch/twin_check.py was not found above the test folder");
        }
    }

    public static JsonObject Run(JsonObject request)
    {
        var setup = Setup.Value;
        Assert.True(setup.Available, "PyTorch is needed for this test: " + setup.Reason);
        var result = ChildProcess.Run(setup.Interpreter, [Path.Combine(ScriptsFolder, "twin_check.py"), request.ToJsonString()],
            new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = "1" }, TimeSpan.FromMinutes(3));
        Assert.True(result.Succeeded, $"twin_check.py {request["mode"]} failed: {result.LastMessage}");
        return JsonNode.Parse(result.Output.Trim().Split('\n')[^1])!.AsObject();
    }
}
