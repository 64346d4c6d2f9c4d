using LabelNoise.Curvature;
using LabelNoise.Randomness;
using LabelNoise.Theory;

namespace LabelNoise.Tests.Theory;

public class ImplicitRegularizerTests
{
    static readonly double[] Spectrum = [-0.5, 0, 0.3, 1, 1, 2.5, 4, 7];

    [Fact]
    public void TermMatchesEquationOne()
    {
        var r = new ImplicitRegularizer(0.1);
        foreach (double x in new[] { -3.0, -0.5, 0, 0.3, 5, 19.9 })
            Assert.Equal(-Math.Log(1 - 0.1 * x / 2) / (2 * 0.1), r.Term(x), 1e-13);
        Assert.Equal(0, r.Term(0));
        Assert.True(r.Term(-1) < 0); // negative curvature lowers R
    }

    [Fact]
    public void MomentumTermMatchesCorrectedEquationSix()
    {
        double eta = 0.4, beta = 0.9;
        var r = new ImplicitRegularizer(eta, beta);
        foreach (double x in new[] { -2.0, 0.5, 3, 9 })
            Assert.Equal(-(1 + beta) / (2 * eta) * Math.Log(1 - eta * x / (2 * (1 + beta))), r.Term(x), 1e-13);
        var plain = new ImplicitRegularizer(eta, 0);
        var zeroMomentum = new ImplicitRegularizer(new RegularizerSettings(eta));
        foreach (double x in Spectrum) Assert.Equal(plain.Term(x), zeroMomentum.Term(x));
        // The limit moves from 2/η to 2(1+β)/η.
        Assert.Equal(2 * (1 + beta) / eta, r.Settings.CurvatureLimit, 1e-12);
        Assert.True(double.IsFinite(r.Term(2 / eta + 1)));
        Assert.Equal(double.PositiveInfinity, r.Term(2 * (1 + beta) / eta));
    }

    [Fact]
    public void InfiniteNotNaNAtOrBeyondTheStabilityLimit()
    {
        var r = new ImplicitRegularizer(0.5);
        Assert.Equal(double.PositiveInfinity, r.Term(4));             // ηx = 2 exactly
        Assert.Equal(double.PositiveInfinity, r.Term(4.0000001));
        Assert.Equal(double.PositiveInfinity, r.Term(1e300));
        Assert.Equal(double.PositiveInfinity, r.FromEigenvalues([-1, 1, 4]));
        Assert.Equal(double.PositiveInfinity, r.FromMatrix(MatrixOperator.FromSpectrum([0.1, 5, -2], new RandomStream(1))));
        Assert.Equal(double.PositiveInfinity, r.HPrime(4));
        Assert.True(double.IsFinite(r.Term(3.9999999)));
        Assert.True(double.IsFinite(r.Term(-1e300)));
    }

    [Fact]
    public void EqualsItsSeriesForSmallLearningRate()
    {
        var r = new ImplicitRegularizer(1e-3); // η·λ_max = 0.007
        double exact = r.FromEigenvalues(Spectrum);
        Assert.Equal(exact, r.Series(Spectrum, 12), Math.Abs(exact) * 1e-12);
        // The first three terms are the paper's Σ λ/4 + ηλ²/16 + η²λ³/48.
        double eta = 1e-3;
        double three = Spectrum.Sum(l => l / 4 + eta * l * l / 16 + eta * eta * l * l * l / 48);
        Assert.Equal(three, r.Series(Spectrum, 3), 1e-15);
        // Truncation error of order 3 is about the next term η³Σλ⁴/128.
        double next = Math.Pow(eta, 3) * Spectrum.Sum(l => Math.Pow(l, 4)) / 128;
        Assert.InRange((exact - three) / next, 0.9, 1.1);
    }

    [Fact]
    public void SeriesConvergesForModerateLearningRate()
    {
        var r = new ImplicitRegularizer(0.1, 0.5); // η'·λ_max = 0.47
        Assert.Equal(r.FromEigenvalues(Spectrum), r.Series(Spectrum, 80), 1e-12);
    }

    [Fact]
    public void TendsToQuarterTraceAsLearningRateVanishes()
    {
        double quarterTrace = Spectrum.Sum() / 4;
        double previousGap = double.PositiveInfinity;
        foreach (double eta in new[] { 1e-2, 1e-4, 1e-6, 1e-8 })
        {
            double gap = Math.Abs(new ImplicitRegularizer(eta).FromEigenvalues(Spectrum) - quarterTrace);
            Assert.True(gap <= eta * Spectrum.Sum(l => l * l) / 16 * 1.1 + 1e-14, $"eta {eta}: gap {gap}");
            Assert.True(gap < previousGap);
            previousGap = gap;
        }
    }

    [Fact]
    public void DerivativeIsHalfOfHPrimeByCentralDifferences()
    {
        // d/dx[−log(1 − ηx/2)/(2η)] = (1/(2η))·(η/2)/(1 − ηx/2) = 1/(2(2 − ηx)) = ½·h′(x), h′(x) = 1/(2 − ηx).
        foreach (var (eta, beta) in new[] { (0.3, 0.0), (0.3, 0.9), (2.0, 0.0) })
        {
            var r = new ImplicitRegularizer(eta, beta);
            double etaEffective = eta / (1 + beta);
            foreach (double x in new[] { -2.0, 0, 0.4, 0.9 / etaEffective })
            {
                double h = 1e-5;
                double numeric = (r.Term(x + h) - r.Term(x - h)) / (2 * h);
                Assert.Equal(numeric, r.TermDerivative(x), 1e-8 * Math.Max(1, Math.Abs(numeric)));
                Assert.Equal(1 / (2 * (2 - etaEffective * x)), r.TermDerivative(x), 1e-14);
                Assert.Equal(2 * r.TermDerivative(x), r.HPrime(x), 1e-14);
                Assert.Equal((1 + beta) / (2 * (1 + beta) - eta * x), r.HPrime(x), 1e-13);
            }
        }
    }

    [Fact]
    public void FromMatrixUsesTheEigenvalues()
    {
        var r = new ImplicitRegularizer(0.2);
        var op = MatrixOperator.FromSpectrum(Spectrum, new RandomStream(2));
        Assert.Equal(r.FromEigenvalues(Spectrum), r.FromMatrix(op.ToArray()), 1e-12);
        Assert.Equal(r.FromEigenvalues(Spectrum), r.FromMatrix(op), 1e-12);
    }

    [Fact]
    public void LambdaIsEtaSigmaSquaredOverBatchTimesOneMinusBeta()
    {
        Assert.Equal(0.5 * 4 / 8, ImplicitRegularizer.Lambda(0.5, 2, 8), 1e-15);
        Assert.Equal(0.5 * 4 / (8 * 0.1), ImplicitRegularizer.Lambda(0.5, 2, 8, 0.9), 1e-12);
        Assert.Equal(0, ImplicitRegularizer.Lambda(0.5, 0, 8));
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => ImplicitRegularizer.Lambda(0, 1, 1)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImplicitRegularizer.Lambda(1, -1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImplicitRegularizer.Lambda(1, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImplicitRegularizer.Lambda(1, 1, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImplicitRegularizer.Lambda(1, 1, 1, -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegularizerSettings(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegularizerSettings(0.1, 1));
    }
}
