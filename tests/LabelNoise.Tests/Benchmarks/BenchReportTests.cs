using System.Diagnostics;
using System.Text.Json.Nodes;
using LabelNoise.Benchmarks;
using LabelNoise.Tests.TestSupport;

namespace LabelNoise.Tests.Benchmarks;

public class BenchReportTests
{
    static readonly string[] WorkloadKeys = ["ours_ms", "ours_min_ms", "ours_max_ms", "peer_ms", "ratio", "peak_mb", "peer_status"];

    [Fact]
    public void JsonHasTheDocumentedKeysWithThePeerUnavailable()
    {
        var runner = new PeerRunner(new PeerOptions { Interpreter = "/nonexistent/python3" });
        var json = BenchSuite.Run(BenchSettings.Quick, runner, ["quadratic-step", "quadratic-run"]).ToJson();
        Assert.True(json["machine"]!["cores"]!.GetValue<int>() >= 1);
        Assert.False(string.IsNullOrWhiteSpace(json["machine"]!["cpu_model"]!.GetValue<string>()));
        Assert.NotNull(json["versions"]!["torchsharp"]);
        Assert.Equal(PeerStatus.Unavailable, json["peer"]!["status"]!.GetValue<string>());
        Assert.Contains("/nonexistent/python3", json["peer"]!["reason"]!.GetValue<string>());
        Assert.True(json["matmul"]!["ours_gflops"]!.GetValue<double>() > 0);
        var workloads = json["workloads"]!.AsObject();
        Assert.Equal(["quadratic-step", "quadratic-run"], workloads.Select(w => w.Key));
        foreach (var (name, node) in workloads)
        {
            var workload = node!.AsObject();
            foreach (var key in WorkloadKeys) Assert.True(workload.ContainsKey(key), $"{name}.{key}");
            Assert.True(workload["ours_ms"]!.GetValue<double>() > 0, name);
            Assert.Null(workload["peer_ms"]);
            Assert.Null(workload["ratio"]);
            Assert.Equal(PeerStatus.Unavailable, workload["peer_status"]!.GetValue<string>());
            Assert.True(workload["peak_mb"]!.GetValue<double>() > 0, name);
        }
        Assert.True(workloads["quadratic-run"]!["recovery_error"]!.GetValue<double>() >= 0);
    }

    [Fact]
    public void SlqPeerRequestAsksForTheProductsWeDid()
    {
        var slq = new WorkloadMeasurement("slq-regularizer", "", TimingSummary.FromSamples([1.0]), 0,
            new Dictionary<string, double> { ["probes"] = 17, ["deflation_vectors"] = 10 }, new Dictionary<string, string>());
        var request = PeerRequest.For("mlp", BenchSettings.Full, [slq]);
        Assert.Equal(17, request["slq"]!["probes"]!.GetValue<int>());
        Assert.Equal(10, request["slq"]!["deflation_vectors"]!.GetValue<int>());
        Assert.Equal(BenchSettings.Full.SlqLanczosSteps, request["slq"]!["lanczos_steps"]!.GetValue<int>());
        Assert.Equal(["slq-regularizer"], request["workloads"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(2, request["threads"]!.GetValue<int>());
    }

    [Fact]
    public void UnknownWorkloadsAreRejectedByName()
    {
        var e = Assert.Throws<ArgumentException>(() => BenchSuite.Run(BenchSettings.Quick, null, ["mlp-stpe"]));
        Assert.Contains("mlp-stpe", e.Message);
        Assert.Contains("mlp-step", e.Message);
    }

    [Fact]
    public void QuickCommandPrintsAllWorkloadsAsJson()
    {
        var (exitCode, output, error) = CliProcess.Run("bench", "--quick", "--json", "--python", "/nonexistent/python3");
        Assert.True(exitCode == 0, error);
        var json = Assert.IsType<JsonObject>(JsonNode.Parse(output)); // standard output is one JSON object; progress goes to standard error
        Assert.True(json["quick"]!.GetValue<bool>());
        var workloads = json["workloads"]!.AsObject();
        Assert.Equal(BenchSuite.Names, workloads.Select(w => w.Key));
        foreach (var (name, node) in workloads)
            foreach (var key in WorkloadKeys) Assert.True(node!.AsObject().ContainsKey(key), $"{name}.{key}");
        double Figure(string workload, string key) => workloads[workload]![key]!.GetValue<double>();
        // Known answers: the 784-512-512-10 MLP has 784·512 + 512 + 512·512 + 512 + 512·10 + 10 parameters and 6·B·(weights) flops per step.
        const double Weights = 784 * 512 + 512 * 512 + 512 * 10, Parameters = Weights + 512 + 512 + 10;
        Assert.Equal(Parameters, Figure("mlp-step", "parameters"));
        Assert.Equal(Parameters, Figure("mlp-hvp", "parameters"));
        Assert.Equal(6 * BenchSettings.Quick.MlpBatchSize * Weights, Figure("mlp-step", "flops_per_step"));
        Assert.Equal(Figure("mlp-step", "flops_per_step") / (Figure("mlp-step", "ours_ms") * 1e6), Figure("mlp-step", "gflops"), 1e-9);
        Assert.Equal(Figure("mlp-hvp", "ours_ms") / Figure("mlp-hvp", "gradient_ms"), Figure("mlp-hvp", "hvp_per_gradient"), 1e-9);
        Assert.Equal(BenchSettings.Quick.MlpExamples, Figure("mlp-hvp", "examples"));
        Assert.True(Figure("mlp-step", "gflops") > 0);
        Assert.True(workloads["slq-regularizer"]!["products"]!.GetValue<double>() > 0);
        Assert.Equal("unavailable", json["peer"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void BadOptionsAreOneSentence()
    {
        var (exitCode, _, error) = CliProcess.Run("bench", "--workloads", "nope");
        Assert.Equal(2, exitCode);
        Assert.Contains("unknown workload 'nope'", error);
        Assert.DoesNotContain("   at ", error);
    }
}
