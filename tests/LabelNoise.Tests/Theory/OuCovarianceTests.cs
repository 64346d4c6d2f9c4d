using LabelNoise.Curvature;
using LabelNoise.Randomness;
using LabelNoise.Tests.Curvature;
using LabelNoise.Theory;

namespace LabelNoise.Tests.Theory;

public class OuCovarianceTests
{
    const double Eta = 0.5, Lambda = 0.03;

    // G with a zero eigenvalue (twice) and repeated eigenvalues; η·g_max = 1.9 < 2.
    static readonly double[] GSpectrum = [0, 0, 0.2, 1, 1, 1, 2.5, 3.8];

    static (double[,] G, double[,] Basis) MakeG(ulong seed)
    {
        var basis = MatrixOperator.RandomOrthogonal(GSpectrum.Length, new RandomStream(seed));
        return (Dense.FromEigen(basis, GSpectrum), basis);
    }

    [Fact]
    public void ClosedFormIsLambdaTimesProjectorTimesInverse()
    {
        var (g, basis) = MakeG(1);
        var closed = OuCovariance.StationaryClosedForm(g, Eta, Lambda);
        var expected = Dense.FromEigen(basis, GSpectrum.Select(x => x == 0 ? 0 : Lambda / (2 - Eta * x)).ToArray());
        Assert.True(Dense.MaxAbsDifference(expected, closed) < 1e-14, $"{Dense.MaxAbsDifference(expected, closed)}");
    }

    [Fact]
    public void ClosedFormEqualsLyapunovSolution()
    {
        var (g, _) = MakeG(2);
        var copy = (double[,])g.Clone();
        var closed = OuCovariance.StationaryClosedForm(g, Eta, Lambda);
        var lyapunov = OuCovariance.Stationary(g, Eta, Lambda);
        Assert.Equal(copy, g); // inputs untouched
        Assert.True(lyapunov.Converged, lyapunov.StopReason);
        Assert.True(Dense.MaxAbsDifference(closed, lyapunov.Covariance) < 1e-12 * Dense.MaxAbs(closed),
            $"{Dense.MaxAbsDifference(closed, lyapunov.Covariance)}");
        Assert.True(lyapunov.RelativeResidual < 1e-12);
        Assert.InRange(lyapunov.Iterations, 2, 30);
    }

    [Fact]
    public void FixedPointWithNoiseEqualToHessian()
    {
        // Prop. 5 with Σ = H: S = λΠ_H(2I − ηH)⁻¹.
        var (h, basis) = MakeG(3);
        var doubling = OuCovariance.FixedPoint(h, h, Eta, Lambda);
        var eigenbasis = OuCovariance.FixedPointEigenbasis(h, h, Eta, Lambda);
        var expected = Dense.FromEigen(basis, GSpectrum.Select(x => x == 0 ? 0 : Lambda / (2 - Eta * x)).ToArray());
        Assert.True(doubling.Converged);
        Assert.True(Dense.MaxAbsDifference(expected, doubling.Covariance) < 1e-12 * Dense.MaxAbs(expected));
        Assert.True(Dense.MaxAbsDifference(expected, eigenbasis) < 1e-12 * Dense.MaxAbs(expected));
        // ⟨S, H⟩ = λ Σ h/(2 − ηh).
        double regularizer = GSpectrum.Sum(x => Lambda * x / (2 - Eta * x));
        Assert.Equal(regularizer, OuCovariance.RegularizerS(doubling.Covariance, h), 1e-12);
    }

    [Fact]
    public void FixedPointForGeneralNoiseAgreesBetweenMethods()
    {
        var gen = new RandomStream(4);
        int d = 6;
        var h = MatrixOperator.FromSpectrum([0.3, 0.7, 1, 1, 2, 3], gen).ToArray();
        var m = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) m[i, j] = gen.NextGaussian();
        var sigma = Dense.Multiply(m, Dense.Transpose(m)); // SPD noise covariance
        var doubling = OuCovariance.FixedPoint(h, sigma, Eta, Lambda);
        var eigenbasis = OuCovariance.FixedPointEigenbasis(h, sigma, Eta, Lambda);
        Assert.True(doubling.Converged);
        Assert.True(Dense.MaxAbsDifference(doubling.Covariance, eigenbasis) < 1e-12 * Dense.MaxAbs(eigenbasis));
        // It is a fixed point: S = (I − ηH)S(I − ηH) + ηλΣ.
        var a = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) a[i, j] = (i == j ? 1 : 0) - Eta * h[i, j];
        var image = Dense.Multiply(Dense.Multiply(a, eigenbasis), a);
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) image[i, j] += Eta * Lambda * sigma[i, j];
        Assert.True(Dense.MaxAbsDifference(image, eigenbasis) < 1e-12 * Dense.MaxAbs(eigenbasis));
    }

    [Fact]
    public void ScalarLyapunovClosedForm()
    {
        // σ = a²σ + q ⇒ σ = q/(1 − a²).
        var solution = OuCovariance.SolveLyapunov(new double[,] { { 0.9 } }, new double[,] { { 2 } });
        Assert.True(solution.Converged);
        Assert.Equal(2 / (1 - 0.81), solution.Covariance[0, 0], 1e-12);
        Assert.Equal(OuCovariance.ConvergedReason, solution.StopReason);
    }

    [Fact]
    public void StopsAtRoundoffWhenANeutralDirectionCarriesOnlyRoundoffNoise()
    {
        // A = diag(1, ½): the neutral direction accumulates its 1e-18 noise 2^k-fold, the other converges to 1/(1 − ¼).
        var solution = OuCovariance.SolveLyapunov(new double[,] { { 1, 0 }, { 0, 0.5 } }, new double[,] { { 1e-18, 0 }, { 0, 1 } }, tolerance: 0);
        Assert.True(solution.Converged);
        Assert.Equal(OuCovariance.RoundoffReason, solution.StopReason);
        Assert.Equal(4.0 / 3, solution.Covariance[1, 1], 1e-14);
        Assert.True(solution.Covariance[0, 0] < 1e-12);
    }

    [Fact]
    public void ReportsNonConvergenceWhenSpectralRadiusIsAtLeastOne()
    {
        var unstable = OuCovariance.SolveLyapunov(new double[,] { { 1.5, 0 }, { 0, 0.5 } }, new double[,] { { 1, 0 }, { 0, 1 } });
        Assert.False(unstable.Converged);
        Assert.Contains("diverged", unstable.StopReason);
        Assert.All(unstable.Covariance.Cast<double>(), x => Assert.True(double.IsFinite(x)));

        var neutral = OuCovariance.SolveLyapunov(new double[,] { { 1, 0 }, { 0, 0.5 } }, new double[,] { { 1, 0 }, { 0, 1 } }, maxIterations: 40);
        Assert.False(neutral.Converged);
        Assert.Contains("did not converge", neutral.StopReason);

        // η·g > 2: the OU process itself is unstable.
        Assert.False(OuCovariance.Stationary(new double[,] { { 5 } }, Eta, Lambda).Converged);
        Assert.Throws<ArgumentException>(() => OuCovariance.StationaryClosedForm(new double[,] { { 5 } }, Eta, Lambda));
    }

    [Fact]
    public void InvalidArgumentsThrow()
    {
        var g = new double[,] { { 1, 0 }, { 0, 1 } };
        Assert.Throws<ArgumentOutOfRangeException>(() => OuCovariance.StationaryClosedForm(g, 0, Lambda));
        Assert.Throws<ArgumentOutOfRangeException>(() => OuCovariance.StationaryClosedForm(g, Eta, -1));
        Assert.Throws<ArgumentException>(() => OuCovariance.StationaryClosedForm(new double[,] { { -1, 0 }, { 0, 1 } }, Eta, Lambda));
        Assert.Throws<ArgumentException>(() => OuCovariance.SolveLyapunov(g, new double[3, 3]));
        Assert.Throws<ArgumentException>(() => OuCovariance.RegularizerS(g, new double[1, 1]));
        Assert.Throws<ArgumentException>(() => OuCovariance.FixedPointEigenbasis(new double[,] { { 0, 0 }, { 0, 1 } }, g, Eta, Lambda)); // noise on a neutral direction
    }
}
