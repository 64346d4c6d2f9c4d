using LabelNoise.Curvature;
using LabelNoise.Experiments;
using LabelNoise.Randomness;
using LabelNoise.Tests.Curvature;
using LabelNoise.Tests.TestSupport;
using static LabelNoise.Tests.TestSupport.CsvRewrite;
using LabelNoise.Theory;
using LabelNoise.Figures;
using static LabelNoise.Tests.TestSupport.ClaimMargins;

namespace LabelNoise.Tests.Experiments;

public class NoiseCovarianceTests
{

    [Fact]
    public void ClaimsHoldAndBreakingTheDataFlipsThem()
    {
        using var folder = new TempFolder();
        var experiment = new NoiseCovariance();
        var summary = ExperimentRunner.Run(experiment, folder.Path, ExperimentScale.Tiny, 0);
        var root = Path.Combine(folder.Path, experiment.Name);
        Assert.Equal(3, summary.Claims.Count);
        Assert.All(WithConsistentMargins(summary.Claims), c => Assert.True(c.Holds, c.Statement + ": " + c.Measured));
        foreach (var figure in summary.Figures)
            Assert.True(new FileInfo(Path.Combine(root, figure.Name + ".png")).Length > 1000, figure.Name);

        // An empirical covariance 30 % too large no longer matches the fixed point.
        var entries = Path.Combine(root, "entries.csv");
        var original = File.ReadAllText(entries);
        Rewrite(entries, (t, i, c) => c == "empirical" ? 1.3 * t[i, c] : t[i, c]);
        Assert.False(WithConsistentMargins(experiment.Evaluate(root))[0].Holds);
        File.WriteAllText(entries, original);

        // ⟨S, H⟩/λ replaced by 2R: neither the closed form nor the exact relation to R holds.
        Rewrite(Path.Combine(root, "sigma-equals-h.csv"), (t, i, c) => c == "rs_over_lambda" ? t[i, "two_r"] : t[i, c]);
        var claims = WithConsistentMargins(experiment.Evaluate(root));
        Assert.True(claims[0].Holds);
        Assert.False(claims[1].Holds);
        Assert.False(claims[2].Holds);
    }

    static (double[,] H, double[,] Sigma, double[] Spectrum, double[,] Basis) RandomProblem(ulong seed)
    {
        double[] spectrum = [0, 0.4, 1, 1, 2.5];
        var generator = new RandomStream(seed);
        var basis = MatrixOperator.RandomOrthogonal(spectrum.Length, generator);
        var h = Dense.FromEigen(basis, spectrum);
        var projector = Dense.FromEigen(basis, spectrum.Select(v => v == 0 ? 0.0 : 1.0).ToArray());
        var a = new double[5, 5];
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++) a[i, j] = generator.NextGaussian();
        var sigma = Dense.Multiply(Dense.Multiply(projector, Dense.Multiply(a, Dense.Transpose(a))), projector);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < i; j++) sigma[i, j] = sigma[j, i] = 0.5 * (sigma[i, j] + sigma[j, i]);
        return (h, sigma, spectrum, basis);
    }

    [Fact]
    public void FixedPointForAnArbitraryNoiseSolvesProposition5sEquationOnSpanH()
    {
        var (h, sigma, _, basis) = RandomProblem(4);
        const double eta = 1.8 / 2.5, lambda = 0.03;
        var s = OuCovariance.FixedPoint(h, sigma, eta, lambda);
        Assert.True(s.Converged, s.StopReason);
        // S = (I − ηH)S(I − ηH) + ηλΣ, checked directly.
        var a = new double[5, 5];
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++) a[i, j] = (i == j ? 1 : 0) - eta * h[i, j];
        var next = Dense.Multiply(Dense.Multiply(a, s.Covariance), a);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++) next[i, j] += eta * lambda * sigma[i, j];
        Assert.True(Dense.MaxAbsDifference(next, s.Covariance) < 1e-13 * Dense.MaxAbs(s.Covariance));
        Assert.True(Dense.MaxAbsDifference(OuCovariance.FixedPointEigenbasis(h, sigma, eta, lambda), s.Covariance) < 1e-12 * Dense.MaxAbs(s.Covariance));
        // Supported on span H: S v = 0 for the null vector of H.
        var nullVector = Enumerable.Range(0, 5).Select(i => basis[i, 0]).ToArray();
        for (int i = 0; i < 5; i++)
            Assert.True(Math.Abs(Enumerable.Range(0, 5).Sum(j => s.Covariance[i, j] * nullVector[j])) < 1e-14);
        // Σ not proportional to H: S does not commute with H (unlike λΠ_H(2I − ηH)⁻¹).
        var commutator = Dense.Multiply(h, s.Covariance);
        double asymmetry = 0;
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++) asymmetry = Math.Max(asymmetry, Math.Abs(commutator[i, j] - commutator[j, i]));
        Assert.True(asymmetry > 1e-3 * Dense.MaxAbs(commutator));
    }

    [Fact]
    public void WithSigmaEqualToHTheRegularizerIsTwiceLambdaTimesTheScaleDerivativeOfR()
    {
        // ⟨S, H⟩ = λΣλᵢ/(2 − ηλᵢ) = 2λΣλᵢr′(λᵢ) = 2λ·d/dt R(tH) at t = 1 (zero and repeated eigenvalues included).
        var (h, _, spectrum, _) = RandomProblem(5);
        const double lambda = 0.05;
        foreach (double eta in new[] { 0.01, 0.3, 0.7 })
        {
            var s = OuCovariance.FixedPoint(h, h, eta, lambda);
            double rs = OuCovariance.RegularizerS(s.Covariance, h);
            var r = new ImplicitRegularizer(eta);
            Assert.Equal(lambda * spectrum.Sum(v => v / (2 - eta * v)), rs, 12);
            Assert.Equal(2 * lambda * spectrum.Sum(v => v * r.TermDerivative(v)), rs, 12);
            const double dt = 1e-5;
            double derivative = (r.FromEigenvalues(spectrum.Select(v => (1 + dt) * v)) - r.FromEigenvalues(spectrum.Select(v => (1 - dt) * v))) / (2 * dt);
            Assert.Equal(2 * lambda * derivative, rs, 8);
            // Series: ⟨S, H⟩/λ − 2R = Σᵢ Σ_k k ηᵏλᵢᵏ⁺¹/(2ᵏ⁺¹(k + 1)) = (η/8) tr H² + (η²/12) tr H³ + remainder, with
            // (3/64)η³ tr H⁴ ≤ remainder ≤ (η³/16) tr H⁴/(1 − ηλ_max/2) (the coefficients k/(2ᵏ⁺¹(k + 1)) lie below 1/2ᵏ⁺¹).
            double Power(int k) => spectrum.Sum(v => Math.Pow(v, k));
            double remainder = rs / lambda - 2 * r.FromEigenvalues(spectrum) - eta * Power(2) / 8 - eta * eta * Power(3) / 12;
            double third = Math.Pow(eta, 3) * Power(4);
            Assert.InRange(remainder, 3.0 / 64 * third * (1 - 1e-6), third / 16 / (1 - eta * spectrum.Max() / 2));
        }
    }
}
