using LabelNoise.Curvature;
using LabelNoise.Measurement;
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

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var spectrum in new[] { "outliers", "flat", "decaying" })
            foreach (var estimator in new[] { "hutchinson", "hutch++", "xtrace", "deflated-slq", "R: slq", "R: deflated-slq", "R: around the trace", "R: around the exact trace" })
                data.Add(estimator, spectrum);
        return data;
    }

    static (double Truth, Func<RandomStream, CurvatureEstimate> Run) Case(string estimator, string spectrum)
    {
        var values = Spectrum(spectrum);
        var op = MatrixOperator.FromSpectrum(values, new RandomStream(1000 + (ulong)spectrum.Length));
        var budget = EstimationBudget.UntilRelativeStandardError(Target, 5000, MinSamples);
        var early = budget with { EarlySamples = CurvatureMeasurer.EarlyRemainderProbes };
        var regularizer = new ImplicitRegularizer(LearningRate);
        double trace = values.Sum(), r = regularizer.FromEigenvalues(values);
        const int steps = 12;
        IReadOnlyList<double[]> Guard(RandomStream g) => Lanczos.TopEigenvalues(op, 6, 20, g, computeVectors: true).Vectors!;
        return estimator switch
        {
            "R: slq" => (r, g => CurvatureEstimation.Function(op, regularizer.Term, [], 0, "slq", g, budget, steps)),
            "R: deflated-slq" => (r, g => CurvatureEstimation.Function(op, regularizer.Term, Guard(g.Split()), 20, "deflated-slq", g, budget, steps)),
            // As CurvatureMeasurer runs them: the remainder's probes may stop early, their standard error inflated.
            "R: around the trace" => (r, g =>
            {
                var t = CurvatureEstimation.Trace(op, CurvatureEstimator.Auto, EstimationBudget.UntilRelativeStandardError(Target / Math.Sqrt(2), 5000, MinSamples), g.Split());
                return CurvatureEstimation.AroundTrace(op, regularizer.Term, 0.25, t, Guard(g.Split()), 20, "around", g, early, steps);
            }),
            "R: around the exact trace" => (r, g => CurvatureEstimation.AroundTrace(op, regularizer.Term, 0.25, CurvatureEstimate.Exact("exact", trace, 0, "known"),
                Guard(g.Split()), 20, "around", g, early, steps)),
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
        double lower = estimator == "xtrace" ? XTraceLowerBound : 0.95 - 3 * binomial - (0.95 - StudentT.Within(2, MinSamples - 1));
        double upper = Math.Min(1, 0.95 + 3 * binomial);
        output.WriteLine($"| {estimator} | {spectrum} | {covered}/{Repetitions} = {coverage:P1} | [{lower:P1}, {upper:P1}] | {products / Repetitions:F0} | {relativeError / Repetitions:P2} | {reached}/{Repetitions} |");
        Assert.Equal(Repetitions, reached); // every run reached the target, so the table is about the stopping rule users get
        Assert.InRange(coverage, lower, upper);
    }
}
