namespace LabelNoise.Benchmarks;

/// <summary>
/// One workload, ours and the PyTorch peer's: the peer's status ("ok", "unavailable", "failed") with
/// a reason unless ok, its timing, peak memory and figures, and the ratio peer ÷ ours (above 1: we are faster).
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
}
