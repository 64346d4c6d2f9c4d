using LabelNoise.Curvature;
using LabelNoise.Randomness;
using LabelNoise.Theory;

namespace LabelNoise.Tests.Curvature;

/// <summary>Deflated stochastic Lanczos quadrature: exact parts, unbiased remainder, smaller variance.</summary>
public class DeflatedSlqTests
{
    // A curvature-like spectrum: a few outliers over a bulk of small eigenvalues.
    static readonly double[] Spectrum = [.. new double[] { 40, 25, 12 }, .. Enumerable.Range(0, 57).Select(i => 0.01 * i)];

    static (MatrixOperator Op, double[][] Eigenvectors) Matrix()
    {
        var generator = new RandomStream(3);
        var basis = MatrixOperator.RandomOrthogonal(Spectrum.Length, generator);
        var op = MatrixOperator.FromEigenDecomposition(Spectrum, basis);
        var columns = Enumerable.Range(0, Spectrum.Length).Select(j => Enumerable.Range(0, Spectrum.Length).Select(i => basis[i, j]).ToArray()).ToArray();
        return (op, columns);
    }

    [Fact]
    public void DeflatingByEveryEigenvectorIsExact()
    {
        var (op, vectors) = Matrix();
        Func<double, double> f = x => Math.Log(1 + x);
        var estimate = StochasticLanczosQuadrature.EstimateDeflated(op, f, vectors, new RandomStream(1), ProbeOptions.Fixed(3), 5);
        Assert.Equal(Spectrum.Sum(f), estimate.Estimate, 9);
        Assert.True(estimate.StandardError < 1e-9);
    }

    [Fact]
    public void DeflatingTheOutliersCutsTheStandardErrorAndStaysUnbiased()
    {
        var (op, vectors) = Matrix();
        var r = new ImplicitRegularizer(0.04); // η·λ_max = 1.6
        double exact = Spectrum.Sum(r.Term);
        var plain = StochasticLanczosQuadrature.Estimate(op, r.Term, new RandomStream(2), 60, 12);
        var deflated = StochasticLanczosQuadrature.EstimateDeflated(op, r.Term, vectors.Take(3).ToArray(), new RandomStream(2), ProbeOptions.Fixed(60), 12);
        Assert.True(deflated.StandardError < plain.StandardError / 5, $"deflated SE {deflated.StandardError} against plain {plain.StandardError}");
        Assert.True(Math.Abs(deflated.Estimate - exact) < 5 * deflated.StandardError + 1e-9, $"{deflated.Estimate} ± {deflated.StandardError} against {exact}");
        Assert.True(Math.Abs(plain.Estimate - exact) < 5 * plain.StandardError, $"{plain.Estimate} ± {plain.StandardError} against {exact}");
    }
}
