using LabelNoise.Curvature;
using LabelNoise.Randomness;

namespace LabelNoise.Tests.Curvature;

public class StochasticLanczosQuadratureTests
{
    static double Cubic(double x) => 1 - 2 * x + 0.5 * x * x + 0.3 * x * x * x;

    /// <summary>vᵀp(A)v for p(x) = Σ c_k x^k by repeated products.</summary>
    static double QuadraticForm(ILinearOperator op, double[] v, double[] coefficients)
    {
        double sum = 0;
        var power = v.ToArray();
        foreach (double c in coefficients)
        {
            sum += c * Dense.Dot(v, power);
            power = op.Apply(power);
        }
        return sum;
    }

    static readonly double[] CubicCoefficients = [1, -2, 0.5, 0.3];
    static readonly double[] Spectrum = [-2, -0.5, 0.1, 0.7, 1, 1.5, 2, 2.5, 3, 3.3, 4, 5, 6, 7, 0.4, -1.2, 2.2, 1.9, 0.05, 3.7];

    [Fact]
    public void PerProbeQuadratureIsExactForCubicsWithTwoSteps()
    {
        var op = MatrixOperator.FromSpectrum(Spectrum, new RandomStream(1));
        var gen = new RandomStream(2);
        for (int p = 0; p < 5; p++)
        {
            var v = new double[Spectrum.Length];
            Vectors.FillRademacher(v, gen);
            var rule = StochasticLanczosQuadrature.Quadrature(op, v, steps: 2);
            Assert.Equal(2, rule.Nodes.Length);
            Assert.Equal(Spectrum.Length, rule.Weights.Sum(), 1e-12);
            double exact = QuadraticForm(op, v, CubicCoefficients);
            Assert.Equal(exact, rule.Integrate(Cubic), 1e-10 * Math.Max(1, Math.Abs(exact)));
            // Degree 4 = 2m is beyond Gauss exactness: the check above is not vacuous.
            double quartic = QuadraticForm(op, v, [0, 0, 0, 0, 1]);
            Assert.True(Math.Abs(rule.Integrate(x => Math.Pow(x, 4)) - quartic) > 1e-3);
        }
    }

    [Fact]
    public void AveragedCubicAgreesWithTraceWithinStandardError()
    {
        var op = new CountingOperator(MatrixOperator.FromSpectrum(Spectrum, new RandomStream(1)));
        var estimate = StochasticLanczosQuadrature.Estimate(op, Cubic, new RandomStream(3), probes: 60, lanczosSteps: 2);
        Assert.Equal(60, estimate.Probes);
        Assert.Equal(120, estimate.Products);
        Assert.Equal(estimate.Products, op.Products);
        Assert.Equal(EstimateStop.BudgetSpent, estimate.Stop);
        // Each sample is exactly vᵀp(A)v for the probe drawn in order from the generator.
        var replay = new RandomStream(3);
        foreach (double sample in estimate.Samples)
        {
            var v = new double[Spectrum.Length];
            Vectors.FillRademacher(v, replay);
            double exact = QuadraticForm(op, v, CubicCoefficients);
            Assert.Equal(exact, sample, 1e-10 * Math.Max(1, Math.Abs(exact)));
        }
        double trace = Spectrum.Sum(Cubic);
        Assert.True(Math.Abs(estimate.Estimate - trace) <= 3 * estimate.StandardError,
            $"{estimate.Estimate} vs {trace} (SE {estimate.StandardError})");
    }

    [Fact]
    public void LogDeterminantWithinThreeStandardErrors()
    {
        var gen = new RandomStream(4);
        int n = 100;
        var spectrum = Enumerable.Range(0, n).Select(i => 0.05 * Math.Pow(400, (double)i / (n - 1))).ToArray(); // 0.05 … 20
        var op = MatrixOperator.FromSpectrum(spectrum, gen);
        var estimate = StochasticLanczosQuadrature.Estimate(op, Math.Log, new RandomStream(5), probes: 30, lanczosSteps: 25);
        double exact = spectrum.Sum(Math.Log);
        Assert.True(estimate.StandardError > 0);
        Assert.True(Math.Abs(estimate.Estimate - exact) <= 3 * estimate.StandardError,
            $"{estimate.Estimate} vs {exact} (SE {estimate.StandardError})");
        Assert.All(estimate.Quadratures, q => Assert.True(q.Nodes.Min() >= 0.05 - 1e-9 && q.Nodes.Max() <= 20 + 1e-9));
    }

    [Fact]
    public void DiagonalMatrixIsExactForAnyFunctionOnceTheKrylovSpaceIsFull()
    {
        double[] diagonal = [0.5, 1, 1, 2, 3, 3, 3, 4];
        var op = MatrixOperator.Diagonal(diagonal);
        var estimate = StochasticLanczosQuadrature.Estimate(op, Math.Exp, new RandomStream(6), probes: 3, lanczosSteps: 8);
        Assert.All(estimate.Quadratures, q => Assert.Equal(Lanczos.InvariantSubspace, q.LanczosStopReason));
        Assert.All(estimate.Samples, s => Assert.Equal(diagonal.Sum(Math.Exp), s, 1e-11));
        Assert.Equal(0, estimate.StandardError, 1e-11);
    }

    [Fact]
    public void AdaptiveStopsAtTargetRelativeStandardError()
    {
        var op = MatrixOperator.FromSpectrum(Spectrum, new RandomStream(1));
        var estimate = StochasticLanczosQuadrature.Estimate(op, x => x * x, new RandomStream(7),
            ProbeOptions.UntilRelativeStandardError(0.05, minProbes: 4, maxProbes: 500), lanczosSteps: 3);
        Assert.Equal(EstimateStop.TargetReached, estimate.Stop);
        Assert.True(estimate.StandardError <= 0.05 * Math.Abs(estimate.Estimate));
        Assert.Equal(estimate.Probes, estimate.Samples.Length);
        Assert.Equal(estimate.Probes, estimate.Quadratures.Length);
    }

    [Fact]
    public void InfiniteValueStopsImmediately()
    {
        var op = MatrixOperator.FromSpectrum(Spectrum, new RandomStream(1));
        var estimate = StochasticLanczosQuadrature.Estimate(op, x => x > 6.5 ? double.PositiveInfinity : x, new RandomStream(8), probes: 10, lanczosSteps: 20);
        Assert.Equal(double.PositiveInfinity, estimate.Estimate);
        Assert.Equal(1, estimate.Probes);
        Assert.Equal(EstimateStop.NonFinite, estimate.Stop);
    }

    [Fact]
    public void GaussianDensityIntegratesToOneWithTheProbeMean()
    {
        var op = MatrixOperator.FromSpectrum(Spectrum, new RandomStream(1));
        var estimate = StochasticLanczosQuadrature.Estimate(op, x => x, new RandomStream(9), probes: 5, lanczosSteps: 8);
        var density = StochasticLanczosQuadrature.GaussianDensity(estimate.Quadratures, points: 4001, bandwidth: 0.2, margin: 8);
        double step = density.Grid[1] - density.Grid[0];
        double mass = 0, mean = 0;
        for (int i = 0; i < density.Grid.Length; i++)
        {
            double w = i == 0 || i == density.Grid.Length - 1 ? 0.5 : 1;
            mass += w * step * density.Density[i];
            mean += w * step * density.Density[i] * density.Grid[i];
        }
        Assert.Equal(1, mass, 1e-9);
        // ∫tφ(t)dt = mean over probes of vᵀAv/‖v‖² (the quadrature is exact for x).
        Assert.Equal(estimate.Estimate / Spectrum.Length, mean, 1e-9);
        Assert.Throws<ArgumentOutOfRangeException>(() => StochasticLanczosQuadrature.GaussianDensity(estimate.Quadratures, 10, 0));
    }
}
