using LabelNoise.Benchmarks;

namespace LabelNoise.Tests.Benchmarks;

public class WorkloadReportTests
{
    static WorkloadReport Round(double[] ours, double[]? peer, double figure, double peak, string status = PeerStatus.Ok) => new(
        new WorkloadMeasurement("mlp-step", "a step", TimingSummary.FromSamples(ours), peak,
            new Dictionary<string, double> { ["gflops"] = figure }, new Dictionary<string, string> { ["note"] = $"round with {figure}" }),
        status, status == PeerStatus.Ok ? null : "no python", peer is null ? null : TimingSummary.FromSamples(peer), peer is null ? null : 2 * peak,
        new Dictionary<string, double> { ["gflops"] = 10 * figure });

    [Fact]
    public void RoundsPoolTheirSamplesAndKeepEachRatio()
    {
        var pooled = WorkloadReport.Pool([
            Round([1, 2, 3], [2, 2, 2], figure: 5, peak: 100),
            Round([4, 5, 6], [6, 6, 6], figure: 1, peak: 300),
            Round([7, 8, 9], [9, 9, 9], figure: 3, peak: 200),
        ]);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9], pooled.Ours.Timing.Samples);
        Assert.Equal(5, pooled.Ours.Timing.MedianMilliseconds);
        Assert.Equal(6, pooled.Peer!.MedianMilliseconds);       // 2,2,2,6,6,6,9,9,9
        Assert.Equal(6.0 / 5, pooled.Ratio!.Value, 12);
        Assert.Equal([1.0, 6.0 / 5, 9.0 / 8], pooled.RoundRatios);
        Assert.Equal(3, pooled.Ours.Figures["gflops"]);        // the median of 5, 1, 3
        Assert.Equal(30, pooled.PeerFigures["gflops"]);
        Assert.Equal(300, pooled.Ours.PeakMegabytes);
        Assert.Equal(600, pooled.PeerPeakMegabytes);
        Assert.Equal("round with 3", pooled.Ours.Notes["note"]);
    }

    [Fact]
    public void ARoundWithoutAPeerMakesThePooledPeerUnavailable()
    {
        var pooled = WorkloadReport.Pool([Round([1], [2], 1, 1), Round([3], null, 1, 1, PeerStatus.Unavailable)]);
        Assert.Equal(PeerStatus.Unavailable, pooled.PeerStatus);
        Assert.Equal("no python", pooled.PeerReason);
        Assert.Null(pooled.Ratio);
        Assert.Equal([1.0, 3.0], pooled.Ours.Timing.Samples);
        Assert.Equal([2.0], pooled.RoundRatios);
    }

    [Fact]
    public void OneRoundIsItselfWithItsRatio()
    {
        var round = Round([1, 2, 3], [4, 4, 4], 1, 1);
        var pooled = WorkloadReport.Pool([round]);
        Assert.Same(round.Ours, pooled.Ours);
        Assert.Equal([2.0], pooled.RoundRatios);
    }

    [Fact]
    public void APlainPeerRunOnlyInTheFirstRoundIsPooledFromThatRoundWithItsFigures()
    {
        var first = Round([1, 2, 3], [2, 2, 2], 1, 1) with
        {
            Plain = TimingSummary.FromSamples([40, 50, 60]), PlainMethod = "Hutchinson",
            PeerFigures = new Dictionary<string, double> { ["gflops"] = 10, ["plain_products"] = 200 },
        };
        var pooled = WorkloadReport.Pool([first, Round([3, 3, 3], [4, 4, 4], 1, 1)]);
        Assert.Equal(50, pooled.Plain!.MedianMilliseconds);
        Assert.Equal(50.0 / 3, pooled.PlainRatio!.Value, 12);   // ours pooled: 1,2,3,3,3,3 → 3
        Assert.Equal([25.0], pooled.RoundPlainRatios);
        Assert.Equal("Hutchinson", pooled.PlainMethod);
        Assert.Equal(200, pooled.PeerFigures["plain_products"]); // kept though the second round has none
    }
}
