using System.Text.Json.Nodes;
using LabelNoise.Measurement;
using LabelNoise.Training;

namespace LabelNoise.Benchmarks;

/// <summary>
/// What <c>labelnoise bench</c> found: the machine, the versions on both sides, the peers' state and
/// BLAS, the reference matmul throughput, and each workload ours against the peer's.
/// <see cref="ToJson"/> is the one place these numbers are written.
/// </summary>
public sealed record BenchReport(
    BenchSettings Settings,
    MachineInfo Machine,
    PeerSetup PeerSetup,
    IReadOnlyDictionary<string, PeerFamilyResult> PeerFamilies,
    MatmulResult Matmul,
    IReadOnlyList<WorkloadReport> Workloads,
    bool PeakMemoryPerWorkload)
{
    /// <summary>The peer's own description (versions, BLAS, matmul): mlp.py's (it checks the BLAS), else the first script's that gave one.</summary>
    public JsonObject? PeerEnvironment => PeerFamilies.OrderBy(f => f.Key != "mlp").Select(f => f.Value.Output)
        .FirstOrDefault(o => o?["environment"] is JsonObject)?["environment"] as JsonObject;

    /// <summary>The peer's matmul throughput (GFLOP/s) at the same size, or null.</summary>
    public double? PeerMatmulGflops => PeerFamilies.TryGetValue("mlp", out var mlp) && mlp.Output?["matmul"]?["gflops"] is JsonValue v && v.TryGetValue(out double g) ? g : null;

    public WorkloadReport? Workload(string name) => Workloads.FirstOrDefault(w => w.Name == name);

    public JsonObject ToJson()
    {
        var peerEnvironment = PeerEnvironment;
        var versions = RunConfigFile.Versions();
        versions.Remove("os");
        versions.Remove("processors");
        versions["python"] = peerEnvironment?["python"]?.DeepClone();
        versions["pytorch"] = peerEnvironment?["torch"]?.DeepClone();
        versions["numpy"] = peerEnvironment?["numpy"]?.DeepClone();

        var workloads = new JsonObject();
        foreach (var w in Workloads) workloads[w.Name] = WorkloadJson(w);

        return new JsonObject
        {
            ["quick"] = Settings.IsQuick,
            ["threads"] = Settings.Threads,
            ["rounds"] = Settings.Rounds,
            ["machine"] = new JsonObject
            {
                ["cores"] = Machine.Cores,
                ["cpu_model"] = Machine.CpuModel,
                ["memory_mb"] = Machine.MemoryMegabytes is double m ? Math.Round(m) : null,
                ["os"] = Machine.OperatingSystem,
            },
            ["versions"] = versions,
            ["peer"] = new JsonObject
            {
                ["status"] = PeerSetup.Available ? PeerStatus.Ok : PeerStatus.Unavailable,
                ["reason"] = PeerSetup.Reason,
                ["interpreter"] = PeerSetup.Interpreter,
                ["scripts"] = PeerSetup.ScriptsFolder,
                ["library_path"] = PeerSetup.OpenBlasFolder,
                ["actions"] = new JsonArray(PeerSetup.Actions.Select(a => (JsonNode)JsonValue.Create(a)).ToArray()),
                ["blas"] = peerEnvironment?["blas"]?.DeepClone(),
                ["blas_libraries"] = peerEnvironment?["blas_libraries"]?.DeepClone(),
                ["blas_check"] = peerEnvironment?["blas_check"]?.DeepClone(),
            },
            ["matmul"] = new JsonObject
            {
                ["size"] = Matmul.Size,
                ["ours_ms"] = Matmul.Timing.MedianMilliseconds,
                ["ours_gflops"] = Matmul.Gflops,
                ["peer_gflops"] = PeerMatmulGflops,
            },
            ["peak_memory"] = PeakMemoryPerWorkload
                ? "peak resident memory of the process while the workload ran (VmHWM reset before each, after a full garbage collection), runtime and libtorch included"
                : "peak resident memory of the process so far (it could not be reset per workload)",
            ["workloads"] = workloads,
        };
    }

    JsonObject WorkloadJson(WorkloadReport w)
    {
        var ours = w.Ours;
        var json = new JsonObject
        {
            ["description"] = ours.Description,
            ["ours_ms"] = ours.Timing.MedianMilliseconds,
            ["ours_min_ms"] = ours.Timing.MinMilliseconds,
            ["ours_max_ms"] = ours.Timing.MaxMilliseconds,
            ["repeats"] = ours.Timing.Repeats,
            ["peer_ms"] = w.Peer?.MedianMilliseconds,
            ["peer_min_ms"] = w.Peer?.MinMilliseconds,
            ["peer_max_ms"] = w.Peer?.MaxMilliseconds,
            ["peer_repeats"] = w.Peer?.Repeats,
            ["ratio"] = w.Ratio,
            ["round_ratios"] = new JsonArray(w.RoundRatios.Select(r => (JsonNode?)JsonValue.Create(r)).ToArray()),
            ["peak_mb"] = Math.Round(ours.PeakMegabytes, 1),
            ["peer_peak_mb"] = w.PeerPeakMegabytes is double p ? Math.Round(p, 1) : null,
            ["peer_status"] = w.PeerStatus,
            ["peer_reason"] = w.PeerReason,
        };
        foreach (var (key, value) in ours.Figures) json[key] = PointMeasurement.Number(value);
        foreach (var (key, value) in ours.Notes) json[key] = value;
        foreach (var (key, value) in w.PeerFigures) json["peer_" + key] = PointMeasurement.Number(value);
        if (w.Name == "mlp-hvp" && ours.Figure("hvp_per_gradient") is double perGradient) json["claim"] = MlpHvpWorkload.Claim(perGradient);
        json["peer_method"] = w.PeerMethod;
        if (w.Plain is not null)
        {
            json["plain_peer_ms"] = w.Plain.MedianMilliseconds;
            json["plain_peer_min_ms"] = w.Plain.MinMilliseconds;
            json["plain_peer_max_ms"] = w.Plain.MaxMilliseconds;
            json["plain_ratio"] = w.PlainRatio;
            json["round_plain_ratios"] = new JsonArray(w.RoundPlainRatios.Select(r => (JsonNode?)JsonValue.Create(r)).ToArray());
            json["plain_method"] = w.PlainMethod;
        }
        if (PeerAgreement.Of(w) is { } agreement)
        {
            json["agreement"] = agreement.Sentence;
            json["agreement_discrepancy"] = agreement.Discrepancy;
            json["agrees"] = agreement.Holds;
        }
        if (Roofline(w) is { } roofline)
        {
            json["matmul_gflops"] = Matmul.Gflops;
            json["gflops"] = roofline.OursGflops;
            json["fraction_of_matmul"] = roofline.OursFraction;
            json["peer_gflops"] = roofline.PeerGflops;
            json["peer_fraction_of_matmul"] = roofline.PeerFraction;
            json["plain_peer_fraction_of_matmul"] = roofline.PlainFraction;
        }
        return json;
    }

    /// <summary>
    /// A workload's matmul operations (its "flops" figure) per second on each side, and that as a fraction of the
    /// same side's square-matmul rate measured in this run; null for a workload without a flop count.
    /// </summary>
    public (double Flops, double OursGflops, double OursFraction, double? PeerGflops, double? PeerFraction, double? PlainFraction)? Roofline(WorkloadReport w)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (w.Ours.Figure("flops") is not double flops) return null;
        double Rate(TimingSummary t) => flops / (t.MedianMilliseconds * 1e6);
        double ours = Rate(w.Ours.Timing);
        double? peer = w.Peer is null ? null : Rate(w.Peer);
        double? plain = w.Plain is null ? null : Rate(w.Plain);
        return (flops, ours, ours / Matmul.Gflops, peer, peer / PeerMatmulGflops, plain / PeerMatmulGflops);
    }
}
