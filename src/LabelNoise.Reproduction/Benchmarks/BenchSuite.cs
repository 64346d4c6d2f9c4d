using System.Text.Json.Nodes;
using TorchSharp;
using LabelNoise.Randomness;

namespace LabelNoise.Benchmarks;

/// <summary>
/// The benchmark: the reference matmul, then the workloads in groups on <see cref="BenchSettings.Threads"/>
/// threads (peak memory reset before each); each group's PyTorch peer runs in the same invocation right
/// after our side of that group, never concurrently with it, and the short groups do so in
/// <see cref="BenchSettings.Rounds"/> rounds whose samples are pooled (<see cref="WorkloadReport.Pool"/>).
/// This machine's speed drifts and jumps by up to ~15 % over seconds to minutes (the same MLP step took
/// 3.5 ms and 4.2 ms a minute apart): grouping keeps the two sides of a ratio seconds apart instead of
/// minutes, and rounds keep one slow stretch from deciding a ratio (each round's ratio is reported).
/// </summary>
public static class BenchSuite
{
    /// <summary>The peer family of a workload without a peer.</summary>
    public const string NoPeer = "";

    public static IReadOnlyList<IBenchWorkload> Workloads { get; } =
    [
        new MlpStepWorkload(),
        new MlpStepWorkload("mlp-step-b32", 32),
        new MlpHvpWorkload(),
        new MlpTraceWorkload(),
        new QuadraticStepWorkload(),
        new QuadraticRunWorkload(),
        new SlqRegularizerWorkload(),
        new TraceRseWorkload(),
        new RegularizerRseWorkload(),
        new EstimatorConvergenceWorkload(),
    ];

    /// <summary>
    /// The groups, in order: the short MLP workloads and the quadratic ones (in rounds), the minutes-long SLQ (once), the
    /// trained MLP's curvature (in rounds; its minutes-long plain peers in the first round only).
    /// </summary>
    static readonly (string[] Names, bool InRounds)[] Groups =
        [(["mlp-step", "mlp-step-b32", "mlp-hvp", "mlp-trace"], true), (["quadratic-step", "quadratic-run"], true), (["slq-regularizer"], false),
         (["trace-rse", "regularizer-rse"], true), (["estimator-convergence"], false)];

    public static IReadOnlyList<string> Names => Workloads.Select(w => w.Name).ToArray();

    public static IBenchWorkload Workload(string name) =>
        Workloads.FirstOrDefault(w => w.Name == name)
        ?? throw new ArgumentException($"unknown workload '{name}' (workloads: {string.Join(", ", Names)})", nameof(name));

    /// <param name="only">Workload names to run (null: all), in the suite's order.</param>
    /// <param name="peers">Runs the PyTorch peers; null runs none (they are then reported unavailable).</param>
    public static BenchReport Run(BenchSettings settings, PeerRunner? peers, IReadOnlyCollection<string>? only = null, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Threads < 1) throw new ArgumentOutOfRangeException(nameof(settings), settings.Threads, "the benchmark needs at least one thread");
        if (settings.Rounds < 1) throw new ArgumentOutOfRangeException(nameof(settings), settings.Rounds, "the benchmark needs at least one round");
        var selected = only is null ? Workloads : only.Select(Workload).Distinct().OrderBy(w => Names.ToList().IndexOf(w.Name)).ToArray();

        var setup = peers?.Prepare(progress) ?? PeerSetup.Unavailable("", "the PyTorch peers were not requested");
        var families = new Dictionary<string, PeerFamilyResult>(); // each family's first run: its environment and matmul
        var reports = new List<WorkloadReport>();
        int previousThreads = torch.get_num_threads();
        torch.set_num_threads(settings.Threads);
        MatmulResult matmul;
        bool peakPerWorkload = true;
        try
        {
            progress?.Report($"matmul {settings.MatmulSize}×{settings.MatmulSize} float32 (reference FLOP/s)");
            matmul = MatmulThroughput.Measure(settings.MatmulSize, settings.Matmul, new RandomStream(settings.Seed));
            var context = new BenchContext(settings);
            foreach (var (names, inRounds) in Groups)
            {
                var members = selected.Where(w => names.Contains(w.Name)).ToArray();
                int rounds = inRounds ? settings.Rounds : 1;
                var byWorkload = members.ToDictionary(w => w.Name, _ => new List<WorkloadReport>());
                for (int round = 1; round <= rounds && members.Length > 0; round++)
                {
                    string label = rounds > 1 ? $" (round {round} of {rounds})" : "";
                    var measurements = new List<WorkloadMeasurement>();
                    foreach (var workload in members)
                    {
                        progress?.Report($"{workload.Name}: {workload.Description}{label}");
                        peakPerWorkload &= PeakMemory.TryResetPeak();
                        var measurement = workload.Run(context);
                        measurements.Add(measurement with { PeakMegabytes = PeakMemory.PeakMegabytes() });
                    }
                    foreach (var family in measurements.Select(m => Workload(m.Name).PeerFamily).Distinct())
                    {
                        var result = RunPeer(family, measurements, label, round == 1);
                        families.TryAdd(family, result);
                        foreach (var m in measurements.Where(m => Workload(m.Name).PeerFamily == family)) byWorkload[m.Name].Add(Merge(m, result));
                    }
                }
                reports.AddRange(members.Select(w => WorkloadReport.Pool(byWorkload[w.Name])));
            }
        }
        finally
        {
            torch.set_num_threads(previousThreads);
        }
        // mlp.py runs even when no MLP workload was selected: it measures the peer's matmul and reports its BLAS.
        if (!families.ContainsKey("mlp")) families["mlp"] = RunPeer("mlp", []);
        return new BenchReport(settings, MachineInfo.Current(), setup, families, matmul, reports, peakPerWorkload);

        PeerFamilyResult RunPeer(string family, IReadOnlyList<WorkloadMeasurement> measurements, string label = "", bool plain = true)
        {
            if (family == NoPeer) return new PeerFamilyResult(PeerStatus.Unavailable, "this workload has no peer", null);
            if (peers is null) return new PeerFamilyResult(PeerStatus.Unavailable, setup.Reason, null);
            if (setup.Available) progress?.Report($"PyTorch peer: {PeerScripts.RelativeFolder}/{family}.py{label}");
            return peers.Run(setup, family, PeerRequest.For(family, settings, measurements, plain), settings.PeerTimeout);
        }
    }

    static WorkloadReport Merge(WorkloadMeasurement ours, PeerFamilyResult family)
    {
        var empty = new Dictionary<string, double>();
        if (family.Status != PeerStatus.Ok)
            return new WorkloadReport(ours, family.Status, family.Reason, null, null, empty);
        if (family.Output?["workloads"]?[ours.Name] is not JsonObject peer)
            return new WorkloadReport(ours, PeerStatus.Failed, $"the peer reported nothing for {ours.Name}", null, null, empty);
        if (peer["error"] is JsonNode error)
            return new WorkloadReport(ours, PeerStatus.Failed, error.ToString(), null, null, empty);
        try
        {
            var samples = Samples(peer["samples_ms"]) ?? throw new FormatException("no samples_ms");
            var figures = new Dictionary<string, double>();
            foreach (var (key, value) in peer)
                if (key is not ("samples_ms" or "peak_mb") && value is JsonValue v && v.TryGetValue(out double number)) figures[key] = number;
            double? peak = peer["peak_mb"] is JsonValue p && p.TryGetValue(out double mb) ? mb : null;
            return new WorkloadReport(ours, PeerStatus.Ok, null, samples, peak, figures)
            {
                PeerMethod = Text(peer["method"]),
                Plain = Samples(peer["plain_samples_ms"]),
                PlainMethod = Text(peer["plain_method"]),
            };
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
        {
            return new WorkloadReport(ours, PeerStatus.Failed, $"the peer's result for {ours.Name} is malformed ({e.Message})", null, null, empty);
        }

        static TimingSummary? Samples(JsonNode? node) => node is JsonArray array ? TimingSummary.FromSamples(array.Select(s => s!.GetValue<double>())) : null;
        static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;
    }
}
