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

    /// <param name="script">The script of scripts/pytorch to run (twin_check.py: the zoo's twins; torchscript_check.py: scripted modules).</param>
    public static JsonObject Run(JsonObject request, string script = "twin_check.py")
    {
        var setup = Setup.Value;
        Assert.True(setup.Available, "PyTorch is needed for this test: " + setup.Reason);
        var result = ChildProcess.Run(setup.Interpreter, [Path.Combine(ScriptsFolder, script), request.ToJsonString()],
            new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = "1" }, TimeSpan.FromMinutes(3));
        Assert.True(result.Succeeded, $"{script} {request["mode"]} failed: {result.LastMessage}");
        return JsonNode.Parse(result.Output.Trim().Split('\n')[^1])!.AsObject();
    }
}
