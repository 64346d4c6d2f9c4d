using System.Text.Json.Nodes;
using TorchSharp;
using Generator = LabelNoise.Randomness.Generator;

namespace LabelNoise.Benchmarks;

/// <summary>
/// The benchmark: the reference matmul, then each workload on <see cref="BenchSettings.Threads"/>
/// threads (peak memory reset before each), then the PyTorch peers of the same workloads in the same
/// invocation, one script per family, strictly after ours so that nothing runs concurrently.
/// </summary>
public static class BenchSuite
{
    public static IReadOnlyList<IBenchWorkload> Workloads { get; } =
    [
        new MlpStepWorkload(),
        new MlpHvpWorkload(),
        new MlpTraceWorkload(),
        new QuadraticStepWorkload(),
        new QuadraticRunWorkload(),
        new SlqRegularizerWorkload(),
    ];

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
        var selected = only is null ? Workloads : only.Select(Workload).Distinct().OrderBy(w => Names.ToList().IndexOf(w.Name)).ToArray();

        int previousThreads = torch.get_num_threads();
        torch.set_num_threads(settings.Threads);
        MatmulResult matmul;
        var measurements = new List<WorkloadMeasurement>();
        bool peakPerWorkload = true;
        try
        {
            progress?.Report($"matmul {settings.MatmulSize}×{settings.MatmulSize} float32 (reference FLOP/s)");
            matmul = MatmulThroughput.Measure(settings.MatmulSize, settings.Matmul, new Generator(settings.Seed));
            var context = new BenchContext(settings);
            foreach (var workload in selected)
            {
                progress?.Report($"{workload.Name}: {workload.Description}");
                peakPerWorkload &= PeakMemory.TryResetPeak();
                var measurement = workload.Run(context);
                measurements.Add(measurement with { PeakMegabytes = PeakMemory.PeakMegabytes() });
            }
        }
        finally
        {
            torch.set_num_threads(previousThreads);
        }

        var setup = peers?.Prepare(progress) ?? PeerSetup.Unavailable("", "the PyTorch peers were not requested");
        var families = new Dictionary<string, PeerFamilyResult>();
        foreach (var family in new[] { "mlp", "quadratic" })
        {
            // mlp.py always runs when the peers do: it measures the peer's matmul and reports its BLAS.
            if (family != "mlp" && !selected.Any(w => w.PeerFamily == family)) continue;
            if (setup.Available) progress?.Report($"PyTorch peer: {PeerScripts.RelativeFolder}/{family}.py");
            families[family] = peers is null
                ? new PeerFamilyResult(PeerStatus.Unavailable, setup.Reason, null)
                : peers.Run(setup, family, PeerRequest.For(family, settings, measurements), settings.PeerTimeout);
        }

        var reports = measurements.Select(m => Merge(m, families[Workload(m.Name).PeerFamily])).ToArray();
        return new BenchReport(settings, MachineInfo.Current(), setup, families, matmul, reports, peakPerWorkload);
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
            var samples = (peer["samples_ms"] as JsonArray ?? throw new FormatException("no samples_ms")).Select(s => s!.GetValue<double>());
            var figures = new Dictionary<string, double>();
            foreach (var (key, value) in peer)
                if (key is not ("samples_ms" or "peak_mb") && value is JsonValue v && v.TryGetValue(out double number)) figures[key] = number;
            double? peak = peer["peak_mb"] is JsonValue p && p.TryGetValue(out double mb) ? mb : null;
            return new WorkloadReport(ours, PeerStatus.Ok, null, TimingSummary.FromSamples(samples), peak, figures);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
        {
            return new WorkloadReport(ours, PeerStatus.Failed, $"the peer's result for {ours.Name} is malformed ({e.Message})", null, null, empty);
        }
    }
}
