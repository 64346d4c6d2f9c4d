using LabelNoise.Benchmarks;

namespace LabelNoise.Tests.Benchmarks;

public class PeerAgreementTests
{
    static WorkloadReport Report(string name, Dictionary<string, double> ours, Dictionary<string, double> peer) => new(
        new WorkloadMeasurement(name, "", TimingSummary.FromSamples([1]), 0, ours, new Dictionary<string, string>()),
        PeerStatus.Ok, null, TimingSummary.FromSamples([2]), null, peer);

    [Theory]
    [InlineData(100.00005, true)]  // 5e-7 relative
    [InlineData(100.0002, false)]  // 2e-6 relative
    public void TheExactTracesMustAgreeToOnePartInAMillion(double peerTrace, bool agrees)
    {
        var agreement = PeerAgreement.Of(Report("trace-rse", new() { ["estimate"] = 100 }, new() { ["trace"] = peerTrace }))!;
        Assert.Equal(Math.Abs(peerTrace - 100) / 100, agreement.Discrepancy, 15);
        Assert.Equal(agrees, agreement.Holds);
    }

    [Theory]
    [InlineData(20.9, true)]   // 0.9 / √(0.3² + 0.4²) = 1.8 combined standard errors
    [InlineData(21.1, false)]  // 2.2
    public void RegularizersMustAgreeWithinTwoCombinedStandardErrors(double peerR, bool agrees)
    {
        var agreement = PeerAgreement.Of(Report("regularizer-rse", new() { ["estimate"] = 20, ["standard_error"] = 0.3 },
            new() { ["estimate"] = peerR, ["standard_error"] = 0.4 }))!;
        Assert.Equal((peerR - 20) / 0.5, agreement.Discrepancy, 12);
        Assert.Equal(agrees, agreement.Holds);
    }

    [Fact]
    public void OtherWorkloadsOrMissingValuesHaveNoAgreement()
    {
        Assert.Null(PeerAgreement.Of(Report("mlp-step", new() { ["estimate"] = 1 }, new() { ["trace"] = 1 })));
        Assert.Null(PeerAgreement.Of(Report("trace-rse", new() { ["estimate"] = 1 }, new())));
    }
}
