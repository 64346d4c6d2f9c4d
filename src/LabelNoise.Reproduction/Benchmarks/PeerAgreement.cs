using System.Globalization;

namespace LabelNoise.Benchmarks;

/// <summary>
/// Whether the strongest peer computed the same number as ours at the same point, so that its time is a time for
/// the same answer: the exact tr ∇²L (trace-rse) to <see cref="TraceTolerance"/> relative, R(θ) (regularizer-rse)
/// within <see cref="StandardErrors"/> combined standard errors. Null for other workloads or without the peer's value.
/// </summary>
public sealed record PeerAgreement(string Quantity, double Ours, double Peer, double Discrepancy, double Bound, string Unit)
{
    /// <summary>Both sides compute tr G exactly in float32 arithmetic with float32 sums; more than this is a different answer.</summary>
    public const double TraceTolerance = 1e-6;

    /// <summary>Two independent estimates with honest standard errors differ by more than 2 combined SE about 5 % of the time.</summary>
    public const double StandardErrors = 2;

    public bool Holds => Discrepancy <= Bound;

    public string Sentence => string.Create(CultureInfo.InvariantCulture,
        $"{Quantity}: ours {Ours:G9}, peer {Peer:G9}, {Discrepancy:G3} {Unit} (bound {Bound:G3}): {(Holds ? "agree" : "DISAGREE")}");

    public static PeerAgreement? Of(WorkloadReport workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var ours = workload.Ours;
        var peer = workload.PeerFigures;
        switch (workload.Name)
        {
            case "trace-rse" when ours.Figure("estimate") is double trace && peer.TryGetValue("trace", out double peerTrace):
                return new PeerAgreement("tr ∇²L", trace, peerTrace, Math.Abs(trace - peerTrace) / Math.Abs(trace), TraceTolerance, "relative");
            case "regularizer-rse" when ours.Figure("estimate") is double r && ours.Figure("standard_error") is double se
                                        && peer.TryGetValue("estimate", out double peerR) && peer.TryGetValue("standard_error", out double peerSe):
                double combined = Math.Sqrt(se * se + peerSe * peerSe);
                return new PeerAgreement("R(θ)", r, peerR, combined > 0 ? Math.Abs(r - peerR) / combined : double.PositiveInfinity, StandardErrors, "combined standard errors");
            default:
                return null;
        }
    }
}
