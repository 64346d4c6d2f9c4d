using LabelNoise.Curvature;

namespace LabelNoise.Benchmarks;

/// <summary>
/// One workload, ours and the PyTorch peer's: the peer's status ("ok", "unavailable", "failed") with
/// a reason unless ok, its timing, peak memory and figures, and the ratio peer ÷ ours (above 1: we are
/// faster). The peer is the strongest honest one (<see cref="PeerMethod"/>); where a plainer one is what
/// users of PyTorch or PyHessian do, its timing is <see cref="Plain"/> with <see cref="PlainRatio"/>, a second
/// labelled column. Measured in several rounds (ours, then the peer, again), it holds the rounds' samples
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

    /// <summary>What the peer does, in the peer's words (null: the peer did not say).</summary>
    public string? PeerMethod { get; init; }

    /// <summary>The plain peer's timing (what PyTorch or PyHessian users do), or null where there is none; pooled over the rounds that ran it.</summary>
    public TimingSummary? Plain { get; init; }

    /// <summary>What the plain peer does.</summary>
    public string? PlainMethod { get; init; }

    /// <summary>Plain peer median ÷ our median; null without a plain peer.</summary>
    public double? PlainRatio => Plain is null || Ours.Timing.MedianMilliseconds <= 0 ? null : Plain.MedianMilliseconds / Ours.Timing.MedianMilliseconds;

    /// <summary>Each round's plain ratio.</summary>
    public IReadOnlyList<double> RoundPlainRatios { get; init; } = [];

    /// <summary>
    /// Rounds of one workload as one report: samples pooled (so the median is over every repeat of every
    /// round), peak memory the largest, figures the median of the rounds' (of those rounds that report it), notes the last round's; the peer's status is the first round's that is not ok, if any.
    /// </summary>
    public static WorkloadReport Pool(IReadOnlyList<WorkloadReport> rounds)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        if (rounds.Count == 0) throw new ArgumentException("at least one round is needed", nameof(rounds));
        var ratios = rounds.Select(r => r.Ratio).OfType<double>().ToArray();
        var plainRatios = rounds.Select(r => r.PlainRatio).OfType<double>().ToArray();
        if (rounds.Count == 1) return rounds[0] with { RoundRatios = ratios, RoundPlainRatios = plainRatios };
        var first = rounds[0];
        var ours = first.Ours with
        {
            Timing = TimingSummary.FromSamples(rounds.SelectMany(r => r.Ours.Timing.Samples)),
            PeakMegabytes = rounds.Max(r => r.Ours.PeakMegabytes),
            Figures = MedianFigures(rounds.Select(r => r.Ours.Figures).ToArray()),
            Notes = rounds[^1].Ours.Notes,
        };
        if (rounds.FirstOrDefault(r => r.PeerStatus != Benchmarks.PeerStatus.Ok || r.Peer is null) is { } failed)
            return failed with { Ours = ours, RoundRatios = ratios, RoundPlainRatios = plainRatios };
        return new WorkloadReport(ours, first.PeerStatus, null, TimingSummary.FromSamples(rounds.SelectMany(r => r.Peer!.Samples)),
            rounds.Max(r => r.PeerPeakMegabytes), MedianFigures(rounds.Select(r => r.PeerFigures).ToArray()))
        {
            RoundRatios = ratios,
            RoundPlainRatios = plainRatios,
            PeerMethod = rounds[^1].PeerMethod,
            PlainMethod = rounds.Select(r => r.PlainMethod).LastOrDefault(m => m is not null),
            Plain = rounds.Any(r => r.Plain is not null) ? TimingSummary.FromSamples(rounds.SelectMany(r => r.Plain?.Samples ?? [])) : null,
        };
    }

    static Dictionary<string, double> MedianFigures(IReadOnlyList<IReadOnlyDictionary<string, double>> rounds) =>
        rounds.SelectMany(r => r.Keys).Distinct()
            .ToDictionary(key => key, key => Vectors.Median(rounds.Where(r => r.ContainsKey(key)).Select(r => r[key])));
}
