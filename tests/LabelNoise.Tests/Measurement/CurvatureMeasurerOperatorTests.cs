using LabelNoise.Curvature;
using LabelNoise.Measurement;
using LabelNoise.Theory;
using LabelNoise.Randomness;

namespace LabelNoise.Tests.Measurement;

/// <summary><see cref="CurvatureMeasurer"/> on bare operators with known spectra: exact cases, standard errors, deflation, R = +∞.</summary>
public class CurvatureMeasurerOperatorTests
{
    /// <summary>Three outliers over a bulk of both signs, as network Hessians near a minimum have (the largest below 2/η = 20).</summary>
    static readonly double[] Spectrum = [.. new[] { 12.0, 7.0, 4.0 }, .. Enumerable.Range(0, 37).Select(i => 0.5 - i * 0.02)];

    static readonly RegularizerSettings Eta = new(0.1);

    static CurvatureRequest Request(CurvatureEstimator estimator, int probes, int lanczos, int guard, int deflation) => new()
    {
        Estimator = estimator, TargetRelativeStandardError = null, Probes = probes, MinSamples = 2, Regularizer = Eta,
        LanczosSteps = lanczos, GuardSteps = guard, Deflation = deflation,
    };

    [Fact]
    public void AFullKrylovSpaceGivesTheExactRegularizerAndTheGuardsLambdaMax()
    {
        var diagonal = new[] { -0.5, 0, 0.3, 1, 1, 2.5, 4, 7 };
        var r = new ImplicitRegularizer(0.2, 0.5);
        var result = CurvatureMeasurer.Measure(MatrixOperator.Diagonal(diagonal), new CurvatureRequest
        {
            Estimator = CurvatureEstimator.Slq, Trace = false, TargetRelativeStandardError = null, Probes = 3, MinSamples = 2,
            Regularizer = r.Settings, LanczosSteps = diagonal.Length, GuardSteps = diagonal.Length,
        }, new RandomStream(3));
        Assert.Null(result.Trace);
        var estimate = result.Regularizer!;
        Assert.Equal(r.FromEigenvalues(diagonal), estimate.Estimate, 1e-12);
        Assert.Equal(7, result.LargestEigenvalue!.Value, 1e-10);
        Assert.Equal(EstimateStop.BudgetSpent, estimate.Stop);
        Assert.Equal(0, result.DeflationVectors);
        Assert.Equal(result.Products, estimate.Products);
    }

    [Theory]
    [InlineData(CurvatureEstimator.Slq, 0)]
    [InlineData(CurvatureEstimator.DeflatedSlq, 3)]
    [InlineData(CurvatureEstimator.Auto, 3)]
    public void EstimatesAreWithinFourStandardErrorsOfTheTruth(CurvatureEstimator estimator, int deflation)
    {
        var op = MatrixOperator.FromSpectrum(Spectrum, new RandomStream(3));
        double trace = Spectrum.Sum(), regularizer = new ImplicitRegularizer(Eta).FromEigenvalues(Spectrum);
        var result = CurvatureMeasurer.Measure(op, Request(estimator, 30, 12, 20, deflation), new RandomStream(4));
        var (t, r) = (result.Trace!, result.Regularizer!);
        Assert.InRange(t.Estimate, trace - 4 * t.StandardError - 1e-9, trace + 4 * t.StandardError + 1e-9);
        Assert.InRange(r.Estimate, regularizer - 4 * r.StandardError - 1e-9, regularizer + 4 * r.StandardError + 1e-9);
        Assert.Equal(estimator == CurvatureEstimator.Slq ? 0 : deflation, result.DeflationVectors);
        Assert.Equal(12, result.LargestEigenvalue!.Value, 6);
    }

    [Theory]
    [InlineData(0.1, 3)]    // g(12) = 1.58, g(7) = 0.40, g(4) = 0.12 against a target SE of 0.07: the three outliers pay; the bulk's g ≈ 0.002 does not
    [InlineData(0.001, 0)]  // g(12) = 0.009: R is tr/4 to far below the target, no quadrature pays
    public void AutoDeflatesRsRemainderOnlyByTheRitzVectorsThatPay(double eta, int expected)
    {
        var op = MatrixOperator.FromSpectrum(Spectrum, new RandomStream(3));
        var settings = new RegularizerSettings(eta);
        double regularizer = new ImplicitRegularizer(settings).FromEigenvalues(Spectrum);
        var result = CurvatureMeasurer.Measure(op, new CurvatureRequest
        {
            TargetRelativeStandardError = 0.01, Probes = 5000, Regularizer = settings, LanczosSteps = 12, GuardSteps = 20, Deflation = 6,
        }, new RandomStream(4));
        var r = result.Regularizer!;
        Assert.Equal(expected, result.DeflationVectors);
        Assert.Equal(EstimateStop.TargetReached, r.Stop);
        Assert.InRange(r.Estimate, regularizer - 4 * r.StandardError - 1e-9, regularizer + 4 * r.StandardError + 1e-9);
    }

    [Fact]
    public void DeflatingRByTheGuardsRitzVectorsShrinksItsError()
    {
        var op = MatrixOperator.FromSpectrum(Spectrum, new RandomStream(3));
        double truth = new ImplicitRegularizer(Eta).FromEigenvalues(Spectrum);
        var plain = CurvatureMeasurer.Measure(op, Request(CurvatureEstimator.Slq, 40, 12, 20, 5) with { Trace = false }, new RandomStream(5)).Regularizer!;
        var deflated = CurvatureMeasurer.Measure(op, Request(CurvatureEstimator.DeflatedSlq, 40, 12, 20, 5) with { Trace = false }, new RandomStream(5)).Regularizer!;
        Assert.True(deflated.StandardError < plain.StandardError / 3, $"deflated SE {deflated.StandardError} against plain {plain.StandardError}");
        Assert.True(Math.Abs(deflated.Estimate - truth) < 5 * deflated.StandardError + 1e-9, $"{deflated.Estimate} ± {deflated.StandardError} vs {truth}");
        Assert.Contains("deflated by 5 vectors", deflated.StopReason);
    }

    [Fact]
    public void RIsInfiniteWithItsReasonOnceTheGuardReachesTwoOverEta()
    {
        var op = MatrixOperator.FromSpectrum([25.0, 1, 0.5, 0.2], new RandomStream(5));
        var result = CurvatureMeasurer.Measure(op, Request(CurvatureEstimator.DeflatedSlq, 2, 4, 4, 4) with { Trace = false }, new RandomStream(6));
        var r = result.Regularizer!;
        Assert.Equal(double.PositiveInfinity, r.Estimate);
        Assert.Equal(0, r.StandardError);
        Assert.Equal(EstimateStop.BeyondStabilityLimit, r.Stop);
        Assert.StartsWith("R = +infinity", r.StopReason);
        Assert.Null(result.Trace);
        Assert.Equal(25, result.LargestEigenvalue!.Value, 8);
    }

    [Fact]
    public void NearTheLimitRIsFiniteWithACaution()
    {
        // λ_max = 19.9 < 2/η = 20: a 3-step guard finds 16.5 ± 5.5, which may reach 20; the SLQ's full Krylov space then finds 19.9.
        var op = MatrixOperator.FromSpectrum([19.9, 12, 10, 8, 6, 4], new RandomStream(7));
        var result = CurvatureMeasurer.Measure(op, Request(CurvatureEstimator.Slq, 4, 6, 3, 0) with { Trace = false }, new RandomStream(8));
        Assert.True(result.LargestEigenvalue < 19.9 && result.LargestEigenvalue + result.LargestEigenvalueResidual >= 20, $"{result.LargestEigenvalue} ± {result.LargestEigenvalueResidual}");
        Assert.True(double.IsFinite(result.Regularizer!.Estimate), result.Regularizer.StopReason);
        Assert.StartsWith("caution: lambda_max may reach", result.Regularizer.Caution);
    }

    [Fact]
    public void ARequestForNothingOrWithoutProbesIsASettingError()
    {
        var op = MatrixOperator.Diagonal(1, 2, 3);
        Assert.Throws<SettingException>(() => CurvatureMeasurer.Measure(op, new CurvatureRequest { Trace = false }, new RandomStream(1)));
        Assert.Throws<SettingException>(() => CurvatureMeasurer.Measure(op, new CurvatureRequest { Probes = 0 }, new RandomStream(1)));
        Assert.Throws<SettingException>(() => CurvatureMeasurer.Measure(op, new CurvatureRequest { TargetRelativeStandardError = -1 }, new RandomStream(1)));
    }
}
