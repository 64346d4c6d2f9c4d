using LabelNoise.Curvature;
using LabelNoise.Randomness;

namespace LabelNoise.Tests.Curvature;

public class AdaptiveDeflationTests
{
    static int DeflationVectors(CurvatureEstimate estimate)
    {
        // "deflated-slq (Krylov deflation: k of m Lanczos vectors, ...)"
        var text = estimate.Estimator[(estimate.Estimator.IndexOf(": ", StringComparison.Ordinal) + 2)..];
        return int.Parse(text[..text.IndexOf(' ')]);
    }

    [Fact]
    public void DeflatesOutliersAndNeedsFarFewerProductsThanHutchinson()
    {
        double[] values = [400, 300, 250, 200, 150, .. Enumerable.Range(0, 195).Select(i => -1 + 2.0 * i / 194)];
        var a = MatrixOperator.FromSpectrum(values, new RandomStream(3));
        var budget = EstimationBudget.UntilRelativeStandardError(0.01, 100_000);
        var adaptive = AdaptiveDeflation.Estimate(a, new RandomStream(4), budget);
        var plain = DeflatedHutchinson.Hutchinson(a, new RandomStream(4), budget);
        Assert.True(adaptive.ReachedTarget && plain.ReachedTarget, adaptive.StopReason + " / " + plain.StopReason);
        Assert.True(DeflationVectors(adaptive) >= 5, adaptive.Estimator);
        Assert.True(adaptive.Products * 5 < plain.Products, $"adaptive {adaptive.Products} products, Hutchinson {plain.Products}");
        Assert.True(Math.Abs(adaptive.Estimate - values.Sum()) <= 4 * adaptive.StandardError);
    }

    [Fact]
    public void OnAFlatSpectrumItStopsDeflatingEarly()
    {
        var values = Enumerable.Range(0, 200).Select(i => 1 + i / 200.0).ToArray();
        var a = MatrixOperator.FromSpectrum(values, new RandomStream(5));
        var estimate = AdaptiveDeflation.Estimate(a, new RandomStream(6), EstimationBudget.UntilRelativeStandardError(0.01, 100_000));
        Assert.True(DeflationVectors(estimate) <= 2, estimate.Estimator); // deflating a flat spectrum removes almost nothing
        Assert.True(estimate.ReachedTarget, estimate.StopReason);
    }

    [Fact]
    public void HutchPlusPlusIsExactWhenTheSketchSpansTheRange()
    {
        var values = new double[40];
        values[0] = 9; values[1] = 4; values[2] = 1;
        var a = MatrixOperator.FromSpectrum(values, new RandomStream(7));
        var estimate = HutchPlusPlus.Estimate(a, 5, new RandomStream(8), EstimationBudget.UntilRelativeStandardError(0.01, 1000));
        Assert.True(Math.Abs(estimate.Estimate - 14) <= 1e-9, $"{estimate.Estimate}");
        Assert.True(estimate.StandardError <= 1e-9, $"{estimate.StandardError}");
    }

    [Fact]
    public void AProductBudgetIsKept()
    {
        var a = MatrixOperator.FromSpectrum(Enumerable.Range(0, 50).Select(i => 10.0 / (1 + i)).ToArray(), new RandomStream(9));
        foreach (var kind in new[] { CurvatureEstimator.Hutchinson, CurvatureEstimator.HutchPlusPlus, CurvatureEstimator.XTrace, CurvatureEstimator.DeflatedSlq })
        {
            var counting = new CountingOperator(a);
            var estimate = CurvatureEstimation.Trace(counting, kind, EstimationBudget.Products(30), new RandomStream(10));
            Assert.Equal(counting.Products, estimate.Products);
            Assert.InRange(estimate.Products, 20, 30);
            Assert.Equal(EstimateStop.BudgetSpent, estimate.Stop);
        }
    }

    [Fact]
    public void AnUnknownEstimatorNameIsOneSentenceListingTheChoices()
    {
        var e = Assert.Throws<SettingException>(() => CurvatureEstimatorNames.Parse("hutch"));
        Assert.Equal("the estimator must be one of auto, hutchinson, hutch++, xtrace, slq, deflated-slq, not 'hutch'", e.Message);
        Assert.Equal(CurvatureEstimator.HutchPlusPlus, CurvatureEstimatorNames.Parse("Hutch++"));
    }
}
