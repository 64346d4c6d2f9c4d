using LabelNoise.Curvature;
using LabelNoise.Randomness;
using LabelNoise.Theory;
using Xunit.Abstractions;

namespace LabelNoise.Tests.Curvature;

/// <summary>
/// Are the standard errors honest? Over many seeds on matrices with known spectra, each estimator run to
/// a target relative standard error (its real use: optional stopping included) must put the true value
/// within ±2 SE in about 95 % of repetitions. The pass band is explicit: 95 % ± 3 binomial standard
/// errors for <see cref="Repetitions"/> repetitions, widened below by what a t distribution with
/// <see cref="MinSamples"/> − 1 degrees of freedom loses at ±2 (the SE is estimated from as few as
/// <see cref="MinSamples"/> samples). Fixed seeds: the counts are deterministic, the band says how far luck could have moved them.
/// </summary>
public class EstimatorCoverageTests(ITestOutputHelper output)
{
    const int Dimension = 100;
    const int Repetitions = 200;
    const int MinSamples = EstimationBudget.DefaultMinSamples;
    const double Target = 0.05;
    const double XTraceLowerBound = 0.75;
    const double LearningRate = 0.02; // η·λ_max/2 = 0.4 on the outlier spectrum: R is finite, r far from linear at the top

    public static double[] Spectrum(string name) => name switch
    {
        // A network-like spectrum: 6 outliers over a bulk of both signs.
        "outliers" => [40, 30, 20, 15, 10, 8, .. Enumerable.Range(0, Dimension - 6).Select(i => -1 + 3.0 * i / (Dimension - 7))],
        "flat" => Enumerable.Range(0, Dimension).Select(i => -1 + 4.0 * i / (Dimension - 1)).ToArray(),
        "decaying" => Enumerable.Range(0, Dimension).Select(i => 10 * Math.Pow(0.8, i)).ToArray(),
        _ => throw new ArgumentException(name),
    };

    /// <summary>P(|T| ≤ 2) for Student's t with ν degrees of freedom, by Simpson's rule on its density.</summary>
    static double StudentWithinTwo(int nu)
    {
        double logNorm = LogGamma((nu + 1) / 2.0) - LogGamma(nu / 2.0) - 0.5 * Math.Log(nu * Math.PI);
        double Density(double t) => Math.Exp(logNorm - (nu + 1) / 2.0 * Math.Log(1 + t * t / nu));
        const int intervals = 2000;
        double h = 4.0 / intervals, sum = Density(-2) + Density(2);
        for (int k = 1; k < intervals; k++) sum += (k % 2 == 1 ? 4 : 2) * Density(-2 + k * h);
        return sum * h / 3;
    }

    /// <summary>Lanczos approximation of log Γ(x), x &gt; 0.</summary>
    static double LogGamma(double x)
    {
        double[] c = [76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5];
        double y = x, tmp = x + 5.5;
        tmp -= (x + 0.5) * Math.Log(tmp);
        double series = 1.000000000190015;
        foreach (double coefficient in c) series += coefficient / ++y;
        return -tmp + Math.Log(2.5066282746310005 * series / x);
    }

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var spectrum in new[] { "outliers", "flat", "decaying" })
            foreach (var estimator in new[] { "hutchinson", "hutch++", "xtrace", "deflated-slq", "R: slq", "R: deflated-slq", "R: around the trace" })
                data.Add(estimator, spectrum);
        return data;
    }

    static (double Truth, Func<RandomStream, CurvatureEstimate> Run) Case(string estimator, string spectrum)
    {
        var values = Spectrum(spectrum);
        var op = MatrixOperator.FromSpectrum(values, new RandomStream(1000 + (ulong)spectrum.Length));
        var budget = EstimationBudget.UntilRelativeStandardError(Target, 5000, MinSamples);
        var regularizer = new ImplicitRegularizer(LearningRate);
        double trace = values.Sum(), r = regularizer.FromEigenvalues(values);
        const int steps = 12;
        IReadOnlyList<double[]> Guard(RandomStream g) => Lanczos.TopEigenvalues(op, 6, 20, g, computeVectors: true).Vectors!;
        return estimator switch
        {
            "R: slq" => (r, g => CurvatureEstimation.Function(op, regularizer.Term, [], 0, "slq", g, budget, steps)),
            "R: deflated-slq" => (r, g => CurvatureEstimation.Function(op, regularizer.Term, Guard(g.Split()), 20, "deflated-slq", g, budget, steps)),
            "R: around the trace" => (r, g =>
            {
                var t = CurvatureEstimation.Trace(op, CurvatureEstimator.Auto, EstimationBudget.UntilRelativeStandardError(Target / Math.Sqrt(2), 5000, MinSamples), g.Split());
                return CurvatureEstimation.AroundTrace(op, regularizer.Term, 0.25, t, Guard(g.Split()), 20, "around", g, budget, steps);
            }),
            _ => (trace, g => CurvatureEstimation.Trace(op, CurvatureEstimatorNames.Parse(estimator), budget, g, sketch: 6)),
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheTrueValueIsWithinTwoStandardErrorsAboutNinetyFivePercentOfTheTime(string estimator, string spectrum)
    {
        var (truth, run) = Case(estimator, spectrum);
        int covered = 0, reached = 0;
        double products = 0, relativeError = 0;
        for (int seed = 0; seed < Repetitions; seed++)
        {
            var estimate = run(new RandomStream(7919UL * (ulong)seed + 17));
            if (Math.Abs(estimate.Estimate - truth) <= 2 * estimate.StandardError) covered++;
            if (estimate.ReachedTarget) reached++;
            products += estimate.Products;
            relativeError += Math.Abs(estimate.Estimate - truth) / Math.Abs(truth);
        }
        double coverage = (double)covered / Repetitions;
        double binomial = Math.Sqrt(0.95 * 0.05 / Repetitions);
        double lower = estimator == "xtrace" ? XTraceLowerBound : 0.95 - 3 * binomial - (0.95 - StudentWithinTwo(MinSamples - 1));
        double upper = Math.Min(1, 0.95 + 3 * binomial);
        output.WriteLine($"| {estimator} | {spectrum} | {covered}/{Repetitions} = {coverage:P1} | [{lower:P1}, {upper:P1}] | {products / Repetitions:F0} | {relativeError / Repetitions:P2} | {reached}/{Repetitions} |");
        Assert.Equal(Repetitions, reached); // every run reached the target, so the table is about the stopping rule users get
        Assert.InRange(coverage, lower, upper);
    }
}
