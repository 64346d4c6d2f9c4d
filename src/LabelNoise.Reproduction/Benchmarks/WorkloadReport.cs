using LabelNoise.Curvature;

namespace LabelNoise.Benchmarks;

/// <summary>
/// One workload, ours and the PyTorch peer's: the peer's status ("ok", "unavailable", "failed") with
/// a reason unless ok, its timing, peak memory and figures, and the ratio peer ÷ ours (above 1: we are
/// faster). Measured in several rounds (ours, then the peer, again), it holds the rounds' samples
/// pooled and each round's own ratio in <see cref="RoundRatios"/>.
/// </summary>
public sealed record WorkloadReport(
    WorkloadMeasurement Ours,
    string PeerStatus,
    string? PeerReason,
    TimingSummary? Peer,
    double? PeerPeakMegabytes,
    IReadOnlyDictionary<string, double> PeerFigures)
{
    public string Name => Ours.Name;

    /// <summary>Peer median ÷ our median; null without a peer timing.</summary>
    public double? Ratio => Peer is null || Ours.Timing.MedianMilliseconds <= 0 ? null : Peer.MedianMilliseconds / Ours.Timing.MedianMilliseconds;

    /// <summary>Each round's ratio (one entry for a single round; empty without a peer).</summary>
    public IReadOnlyList<double> RoundRatios { get; init; } = [];

    /// <summary>
    /// Rounds of one workload as one report: samples pooled (so the median is over every repeat of every
    /// round), peak memory the largest, figures the median of the rounds' (a figure missing from a round is
    /// left out), notes the last round's; the peer's status is the first round's that is not ok, if any.
    /// </summary>
    public static WorkloadReport Pool(IReadOnlyList<WorkloadReport> rounds)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        if (rounds.Count == 0) throw new ArgumentException("at least one round is needed", nameof(rounds));
        var ratios = rounds.Select(r => r.Ratio).OfType<double>().ToArray();
        if (rounds.Count == 1) return rounds[0] with { RoundRatios = ratios };
        var first = rounds[0];
        var ours = first.Ours with
        {
            Timing = TimingSummary.FromSamples(rounds.SelectMany(r => r.Ours.Timing.Samples)),
            PeakMegabytes = rounds.Max(r => r.Ours.PeakMegabytes),
            Figures = MedianFigures(rounds.Select(r => r.Ours.Figures).ToArray()),
            Notes = rounds[^1].Ours.Notes,
        };
        if (rounds.FirstOrDefault(r => r.PeerStatus != Benchmarks.PeerStatus.Ok || r.Peer is null) is { } failed)
            return failed with { Ours = ours, RoundRatios = ratios };
        return new WorkloadReport(ours, first.PeerStatus, null, TimingSummary.FromSamples(rounds.SelectMany(r => r.Peer!.Samples)),
            rounds.Max(r => r.PeerPeakMegabytes), MedianFigures(rounds.Select(r => r.PeerFigures).ToArray())) { RoundRatios = ratios };
    }

    static Dictionary<string, double> MedianFigures(IReadOnlyList<IReadOnlyDictionary<string, double>> rounds) =>
        rounds[0].Keys.Where(key => rounds.All(r => r.ContainsKey(key)))
            .ToDictionary(key => key, key => Vectors.Median(rounds.Select(r => r[key])));
}
