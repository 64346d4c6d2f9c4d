using LabelNoise.Curvature;
using LabelNoise.Models;
using LabelNoise.Objectives;
using LabelNoise.Randomness;
using LabelNoise.Tests.Curvature;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Theory;

namespace LabelNoise.Tests.Theory;

public class OuProcessTests
{
    // n = 3 examples, P = 4 parameters (linear model: ∇fᵢ = xᵢ), so G has a zero eigenvalue.
    static double[][] Rows()
    {
        var data = TestData.Regression(3, 4, 31);
        return Enumerable.Range(0, 3).Select(i => data.Row(i).ToArray()).ToArray();
    }

    static double LargestEigenvalue(double[][] rows) => new OuProcess(rows, 1, 1, 1).LargestCurvature;

    /// <summary>(λ/2)Π_G: the small-η limit of λΠ_G(2I − ηG)⁻¹.</summary>
    static double[,] SmallStepPrediction(double[,] g, double lambda)
    {
        var eigen = SymmetricEigen.Decompose(g);
        double largest = eigen.Values.Max(Math.Abs);
        int p = eigen.Values.Length;
        var result = new double[p, p];
        for (int k = 0; k < p; k++)
        {
            if (Math.Abs(eigen.Values[k]) <= 1e-10 * largest) continue;
            var v = eigen.Vectors[k];
            for (int i = 0; i < p; i++)
                for (int j = 0; j < p; j++) result[i, j] += lambda / 2 * v[i] * v[j];
        }
        return result;
    }

    static void AssertWithinStandardErrors(double[,] expected, OuCovarianceEstimate estimate, double k)
    {
        var covariance = estimate.Covariance;
        var errors = estimate.StandardErrors;
        for (int i = 0; i < expected.GetLength(0); i++)
            for (int j = 0; j < expected.GetLength(1); j++)
                Assert.True(Math.Abs(covariance[i, j] - expected[i, j]) <= k * errors[i, j],
                    $"entry ({i}, {j}): empirical {covariance[i, j]} vs {expected[i, j]} (SE {errors[i, j]})");
    }

    [Fact]
    public void ClosedFormEqualsLyapunovAndLongSimulation()
    {
        var rows = Rows();
        double eta = 0.5 / LargestEigenvalue(rows);
        var process = new OuProcess(rows, eta, noiseStdDev: 1, batchSize: 2);
        Assert.Equal(eta / 2, process.Lambda, 1e-15);
        var g = process.GaussNewton;
        var gEigen = SymmetricEigen.Eigenvalues(g);
        Assert.True(gEigen.Min(Math.Abs) < 1e-12 * gEigen.Max(), "G should have a zero eigenvalue");

        var closed = process.StationaryCovariance();
        var lyapunov = process.StationaryCovarianceByLyapunov();
        Assert.True(lyapunov.Converged, lyapunov.StopReason);
        Assert.True(Dense.MaxAbsDifference(closed, lyapunov.Covariance) < 1e-12 * Dense.MaxAbs(closed));

        var estimate = process.EmpiricalCovariance(burnIn: 2_000, steps: 600_000, thinning: 5, new RandomStream(32), batches: 40);
        Assert.Equal(40, estimate.Batches);
        Assert.Equal(120_000, estimate.Samples);
        Assert.Equal(600_000, estimate.Steps);
        AssertWithinStandardErrors(closed, estimate, 5);
        // The check means something: the diagonal is known to a few percent.
        for (int i = 0; i < 4; i++)
            Assert.True(estimate.StandardError(i, i) < 0.03 * closed[i, i], $"SE({i},{i}) = {estimate.StandardError(i, i)} vs {closed[i, i]}");
    }

    [Fact]
    public void LargeStepDeviatesFromSmallStepPredictionButMatchesClosedForm()
    {
        var rows = Rows();
        double eta = 1.5 / LargestEigenvalue(rows); // η·g_max = 1.5: the top mode oscillates and is 4× wider
        var process = new OuProcess(rows, eta, noiseStdDev: 0.5, batchSize: 1, OuNoiseDistribution.Gaussian);
        var closed = process.StationaryCovariance();
        var small = SmallStepPrediction(process.GaussNewton, process.Lambda);
        var lyapunov = process.StationaryCovarianceByLyapunov();
        Assert.True(Dense.MaxAbsDifference(closed, lyapunov.Covariance) < 1e-12 * Dense.MaxAbs(closed));

        var estimate = process.EmpiricalCovariance(burnIn: 2_000, steps: 200_000, thinning: 5, new RandomStream(33), batches: 40);
        AssertWithinStandardErrors(closed, estimate, 5);
        double maxError = Dense.MaxAbs(estimate.StandardErrors);
        double gap = Dense.MaxAbsDifference(closed, small);
        Assert.True(gap > 0.5 * Dense.MaxAbs(small), $"closed form and (λ/2)Π_G differ by only {gap}");
        Assert.True(gap > 20 * maxError, $"gap {gap} vs SE {maxError}: the simulation could not tell them apart");
    }

    [Fact]
    public void NoiseHasCovarianceEtaLambdaG()
    {
        var rows = Rows();
        var process = new OuProcess(rows, 0.3, noiseStdDev: 1.5, batchSize: 3);
        var generator = new RandomStream(34);
        const int count = 40_000;
        int p = process.Dimension;
        var sum = new double[p, p];
        var squares = new double[p, p];
        for (int s = 0; s < count; s++)
        {
            var e = process.SampleNoise(generator);
            for (int i = 0; i < p; i++)
                for (int j = 0; j < p; j++) { sum[i, j] += e[i] * e[j]; squares[i, j] += e[i] * e[j] * e[i] * e[j]; }
        }
        var g = process.GaussNewton;
        double scale = process.LearningRate * process.Lambda;
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++)
            {
                double mean = sum[i, j] / count;
                double error = Math.Sqrt((squares[i, j] / count - mean * mean) / count); // independent draws
                Assert.True(Math.Abs(mean - scale * g[i, j]) <= 5 * error, $"({i}, {j}): {mean} vs {scale * g[i, j]} (SE {error})");
            }
    }

    [Fact]
    public void SingleSlotNoiseIsPlusOrMinusEtaSigmaTimesAnOutputGradient()
    {
        var rows = Rows();
        var process = new OuProcess(rows, 0.25, noiseStdDev: 2, batchSize: 1);
        var replay = new RandomStream(35);
        var generator = new RandomStream(35);
        for (int s = 0; s < 20; s++)
        {
            var noise = process.SampleNoise(generator);
            int index = replay.NextInt(3);
            double sign = replay.NextSign();
            for (int a = 0; a < 4; a++) Assert.Equal(0.25 * (2 * sign) * rows[index][a], noise[a]);
        }
    }

    [Fact]
    public void PathIsLinearInSigmaAndStaysInSpanOfG()
    {
        var rows = Rows();
        double eta = 0.8 / LargestEigenvalue(rows);
        foreach (var noise in new[] { OuNoiseDistribution.PlusMinus, OuNoiseDistribution.Gaussian })
        {
            var unit = new OuProcess(rows, eta, 1, 2, noise).Simulate(300, new RandomStream(36), recordEvery: 100);
            var doubled = new OuProcess(rows, eta, 2, 2, noise).Simulate(300, new RandomStream(36), recordEvery: 100);
            var silent = new OuProcess(rows, eta, 0, 2, noise).Simulate(300, new RandomStream(36), recordEvery: 100);
            Assert.Equal([0, 100, 200, 300], unit.Steps);
            Assert.True(unit.Completed, unit.StopReason);
            for (int r = 0; r < unit.States.Count; r++)
            {
                Assert.Equal(unit.States[r].Select(x => 2 * x), doubled.States[r]); // exact: same draws, σ a power of 2
                Assert.All(silent.States[r], x => Assert.Equal(0, x));
            }
        }
        // ξ never leaves span G = span{∇fᵢ}: its component along the null vector of G stays at roundoff.
        var process = new OuProcess(rows, eta, 1, 2);
        var eigen = SymmetricEigen.Decompose(process.GaussNewton);
        int nullIndex = Array.IndexOf(eigen.Values, eigen.Values.MinBy(Math.Abs));
        var path = process.Simulate(2_000, new RandomStream(37), recordEvery: 500);
        foreach (var state in path.States)
            Assert.True(Math.Abs(Dense.Dot(state.ToArray(), eigen.Vectors[nullIndex])) < 1e-12 * (1 + Math.Sqrt(state.Sum(x => x * x))));
        Assert.True(path.Final.Any(x => Math.Abs(x) > 1e-3), "the path should have moved");
    }

    [Fact]
    public void FromObjectiveUsesOutputGradientsAtTheCurrentPoint()
    {
        var data = TestData.Regression(3, 2, 38);
        var theta = new[] { 0.7, -0.2, 0.4, 1.1 };
        using var objective = new HandObjective(new QuadraticModel(2), data, theta);
        var process = OuProcess.FromObjective(objective, 0.1, 1, 2);
        Assert.Equal(3, process.ExampleCount);
        Assert.Equal(4, process.Dimension);
        for (int i = 0; i < 3; i++) Assert.Equal(objective.OutputGradient(i), process.OutputGradient(i));
        var expected = objective.GaussNewtonMatrix();
        Assert.True(Dense.MaxAbsDifference(expected, process.GaussNewton) <= 1e-15 * Dense.MaxAbs(expected));
    }

    [Fact]
    public void UnstableProcessDivergesAndHasNoStationaryCovariance()
    {
        var rows = Rows();
        double eta = 2.2 / LargestEigenvalue(rows);
        var process = new OuProcess(rows, eta, 1, 1);
        Assert.False(process.IsStable);
        Assert.Throws<ArgumentException>(() => process.StationaryCovariance());
        var error = Assert.Throws<InvalidOperationException>(() => process.EmpiricalCovariance(0, 1000, 1, new RandomStream(39)));
        Assert.Contains("2.2", error.Message);
        var path = process.Simulate(100_000, new RandomStream(39), recordEvery: 10_000);
        Assert.False(path.Completed);
        Assert.Contains("non-finite", path.StopReason);
        Assert.True(path.StepsTaken < 100_000);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        var rows = Rows();
        Assert.Contains("-0.1", Assert.Throws<ArgumentOutOfRangeException>(() => new OuProcess(rows, -0.1, 1, 1)).Message);
        Assert.Contains("0", Assert.Throws<ArgumentOutOfRangeException>(() => new OuProcess(rows, 0.1, 1, 0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new OuProcess(rows, 0.1, -1, 1));
        var ragged = Assert.Throws<ArgumentException>(() => new OuProcess([[1.0, 2.0], [1.0]], 0.1, 1, 1));
        Assert.Contains("output gradient 1 has 1 entries", ragged.Message);
        Assert.Throws<ArgumentException>(() => new OuProcess([[1.0, double.NaN]], 0.1, 1, 1));
        var wrongG = new double[4, 4];
        Assert.Contains("differs", Assert.Throws<ArgumentException>(() => new OuProcess(rows, 0.1, 1, 1, gaussNewton: wrongG)).Message);

        var process = new OuProcess(rows, 0.1, 1, 1);
        Assert.Contains("10", Assert.Throws<ArgumentOutOfRangeException>(() => process.EmpiricalCovariance(0, 1000, 1, new RandomStream(1), batches: 10)).Message);
        Assert.Contains("fewer than one sample", Assert.Throws<ArgumentOutOfRangeException>(() => process.EmpiricalCovariance(0, 30, 2, new RandomStream(1))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => process.EmpiricalCovariance(-1, 1000, 1, new RandomStream(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => process.Simulate(-5, new RandomStream(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => process.Simulate(5, new RandomStream(1), recordEvery: 0));
    }
}
