using LabelNoise.Curvature;
using LabelNoise.Randomness;

namespace LabelNoise.Tests.Curvature;

public class HutchinsonTraceTests
{
    [Fact]
    public void ExactForDiagonalMatrices()
    {
        var op = new CountingOperator(MatrixOperator.Diagonal(3, -1.5, 0, 2, 7.25));
        var estimate = HutchinsonTrace.Estimate(op, new RandomStream(1), 5);
        Assert.All(estimate.Samples, s => Assert.Equal(10.75, s));
        Assert.Equal(10.75, estimate.Estimate);
        Assert.Equal(0, estimate.StandardError);
        Assert.Equal(5, estimate.Probes);
        Assert.Equal(5, estimate.Products);
        Assert.Equal(5, op.Products);
        Assert.Equal(EstimateStop.BudgetSpent, estimate.Stop);
    }

    [Fact]
    public void AdaptiveStopsAtMinimumWhenVarianceIsZero()
    {
        var estimate = HutchinsonTrace.Estimate(MatrixOperator.Diagonal(1, 2, 3), new RandomStream(2), ProbeOptions.UntilRelativeStandardError(0.01, minProbes: 4));
        Assert.Equal(4, estimate.Probes);
        Assert.Equal(EstimateStop.TargetReached, estimate.Stop);
        Assert.Equal(6, estimate.Estimate);
    }

    [Fact]
    public void SamplesAreQuadraticFormsOfRademacherProbesInDrawOrder()
    {
        var op = MatrixOperator.FromSpectrum([1, 2, 3, 4, 5, -6], new RandomStream(3));
        var estimate = HutchinsonTrace.Estimate(op, new RandomStream(9), 4);
        var replay = new RandomStream(9);
        for (int p = 0; p < 4; p++)
        {
            ulong bits = replay.NextUInt64(); // one draw gives up to 64 signs, low bit first
            var z = Enumerable.Range(0, 6).Select(j => ((bits >> j) & 1) == 0 ? 1.0 : -1.0).ToArray();
            Assert.Equal(Dense.Dot(z, op.Apply(z)), estimate.Samples[p], 1e-12);
        }
        Assert.Equal(estimate.Samples.Average(), estimate.Estimate, 1e-12);
    }

    [Fact]
    public void DenseTraceWithinThreeStandardErrors()
    {
        double[] spectrum = [-2, 0.5, 1, 1, 3, 4, 8, 10, -1, 2, 6, 0];
        var op = MatrixOperator.FromSpectrum(spectrum, new RandomStream(4));
        var estimate = HutchinsonTrace.Estimate(op, new RandomStream(5), 400);
        Assert.True(estimate.StandardError > 0);
        Assert.True(Math.Abs(estimate.Estimate - spectrum.Sum()) <= 3 * estimate.StandardError,
            $"{estimate.Estimate} vs {spectrum.Sum()} (SE {estimate.StandardError})");
        // Standard error matches its closed form √(2Σ_{i≠j} a_ij² / probes) to within sampling error.
        var a = op.ToArray();
        double offDiagonalSquares = 0;
        for (int i = 0; i < 12; i++)
            for (int j = 0; j < 12; j++)
                if (i != j) offDiagonalSquares += a[i, j] * a[i, j];
        Assert.InRange(estimate.StandardError / Math.Sqrt(2 * offDiagonalSquares / 400), 0.8, 1.2);
    }

    [Fact]
    public void AdaptiveReachesTargetOrMaximum()
    {
        var op = MatrixOperator.FromSpectrum([1, 2, 3, 4, 5, 6, 7, 8], new RandomStream(6));
        var reached = HutchinsonTrace.Estimate(op, new RandomStream(7), ProbeOptions.UntilRelativeStandardError(0.05, 10, 10_000));
        Assert.Equal(EstimateStop.TargetReached, reached.Stop);
        Assert.True(reached.StandardError <= 0.05 * Math.Abs(reached.Estimate));
        Assert.True(reached.Probes >= 10);

        var capped = HutchinsonTrace.Estimate(op, new RandomStream(7), ProbeOptions.UntilRelativeStandardError(1e-6, 10, 20));
        Assert.Equal(EstimateStop.BudgetBeforeTarget, capped.Stop);
        Assert.Equal(20, capped.Probes);
    }

    [Fact]
    public void SingleProbeHasUndefinedStandardError()
    {
        var estimate = HutchinsonTrace.Estimate(MatrixOperator.FromSpectrum([1, 2], new RandomStream(1)), new RandomStream(2), 1);
        Assert.True(double.IsNaN(estimate.StandardError));
    }

    [Fact]
    public void OptionsAreChecked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProbeOptions.Fixed(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProbeOptions(5, 4, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProbeOptions.UntilRelativeStandardError(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProbeOptions.UntilRelativeStandardError(0.1, minProbes: 1));
    }
}
