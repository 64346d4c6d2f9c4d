using LabelNoise.Curvature;
using LabelNoise.Randomness;
using LabelNoise.Tests.Curvature;
using LabelNoise.Theory;

namespace LabelNoise.Tests.Theory;

public class LinearSgdCovarianceTests
{
    static double[][] RandomInputs(int n, int d, ulong seed)
    {
        var generator = new RandomStream(seed);
        return Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => generator.NextGaussian()).ToArray()).ToArray();
    }

    static double RelativeError(double[,] expected, double[,] actual) => Dense.MaxAbsDifference(expected, actual) / Dense.MaxAbs(expected);

    [Fact]
    public void WithoutTheMinibatchTermItIsTheLyapunovEquationOfEquationFour()
    {
        // w = 1/B → 0 at fixed λ: C = (I − ηG)C(I − ηG) + ηλG, i.e. Proposition 2's λΠ_G(2I − ηG)⁻¹.
        var inputs = RandomInputs(3, 5, 1);
        var copy = inputs.Select(x => (double[])x.Clone()).ToArray();
        var g = LinearSgdCovariance.GaussNewton(inputs);
        double lambdaMax = SymmetricEigen.Eigenvalues(g).Max();
        double eta = 1.5 / lambdaMax, lambda = 0.02;
        var solution = LinearSgdCovariance.Solve(inputs, eta, lambda, minibatchWeight: 0);
        var lyapunov = OuCovariance.Stationary(g, eta, lambda);
        Assert.True(solution.MeanSquareStable, solution.StopReason);
        Assert.Equal(3, solution.Rank);
        Assert.True(RelativeError(lyapunov.Covariance, solution.Covariance) < 1e-11, $"{RelativeError(lyapunov.Covariance, solution.Covariance)}");
        Assert.True(RelativeError(OuCovariance.StationaryClosedForm(g, eta, lambda), solution.Covariance) < 1e-11);
        Assert.True(solution.RelativeResidual < 1e-12);
        Assert.Equal(copy, inputs); // inputs untouched
    }

    [Fact]
    public void WithEqualInputsTheMinibatchTermVanishes()
    {
        // All xᵢ equal: H_b = G for every batch, so for any B, C = (I − ηG)C(I − ηG) + (η²σ²/B)G.
        var x = new[] { 0.3, -1.2, 0.8, 0.5 };
        var inputs = new[] { x, (double[])x.Clone(), (double[])x.Clone() };
        var g = LinearSgdCovariance.GaussNewton(inputs);
        double eta = 1.7 / x.Sum(v => v * v), sigma = 0.4;
        foreach (int batch in new[] { 1, 2, 5 })
        {
            var solution = LinearSgdCovariance.ForAlgorithm1(inputs, eta, sigma, batch);
            var lyapunov = OuCovariance.Stationary(g, eta, eta * sigma * sigma / batch);
            Assert.True(solution.MeanSquareStable);
            Assert.Equal(1, solution.Rank);
            Assert.True(RelativeError(lyapunov.Covariance, solution.Covariance) < 1e-11, $"B = {batch}: {RelativeError(lyapunov.Covariance, solution.Covariance)}");
        }
    }

    /// <summary>E over all n^B ordered batches and all 2^B sign patterns of the second moment after one step of Algorithm 1.</summary>
    static double[,] BruteForceStep(double[][] inputs, double[,] c, double eta, double sigma, int batchSize)
    {
        int n = inputs.Length, d = inputs[0].Length;
        var result = new double[d, d];
        int batches = (int)Math.Pow(n, batchSize), signs = 1 << batchSize;
        var batch = new int[batchSize];
        for (int code = 0; code < batches; code++)
        {
            for (int k = 0, rest = code; k < batchSize; k++, rest /= n) batch[k] = rest % n;
            var a = new double[d, d];
            for (int i = 0; i < d; i++) a[i, i] = 1;
            foreach (int index in batch)
                for (int i = 0; i < d; i++)
                    for (int j = 0; j < d; j++) a[i, j] -= eta / batchSize * inputs[index][i] * inputs[index][j];
            var propagated = Dense.Multiply(Dense.Multiply(a, c), Dense.Transpose(a));
            for (int pattern = 0; pattern < signs; pattern++)
            {
                var noise = new double[d];
                for (int k = 0; k < batchSize; k++)
                {
                    double epsilon = ((pattern >> k) & 1) == 0 ? sigma : -sigma;
                    for (int i = 0; i < d; i++) noise[i] += eta / batchSize * epsilon * inputs[batch[k]][i];
                }
                double weight = 1.0 / batches / signs;
                for (int i = 0; i < d; i++)
                    for (int j = 0; j < d; j++) result[i, j] += weight * (propagated[i, j] + noise[i] * noise[j]);
            }
        }
        return result;
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 1)]
    public void IsTheFixedPointOfTheBruteForceExpectationOverAllBatches(int n, int batchSize)
    {
        var inputs = RandomInputs(n, 4, (ulong)(10 * n + batchSize));
        double lambdaMax = SymmetricEigen.Eigenvalues(LinearSgdCovariance.GaussNewton(inputs)).Max();
        double eta = 0.6 / lambdaMax, sigma = 0.7;
        var solution = LinearSgdCovariance.ForAlgorithm1(inputs, eta, sigma, batchSize);
        Assert.True(solution.MeanSquareStable, solution.StopReason);
        var stepped = BruteForceStep(inputs, solution.Covariance, eta, sigma, batchSize);
        Assert.True(RelativeError(solution.Covariance, stepped) < 1e-12, $"{RelativeError(solution.Covariance, stepped)}");
    }

    [Fact]
    public void BatchSecondMomentMatchesTheEnumeratedExpectation()
    {
        var inputs = RandomInputs(3, 3, 7);
        var generator = new RandomStream(8);
        var c = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j <= i; j++) c[i, j] = c[j, i] = generator.NextGaussian();
        const int batchSize = 3;
        var expected = new double[3, 3];
        for (int code = 0; code < 27; code++)
        {
            var h = new double[3, 3];
            for (int k = 0, rest = code; k < batchSize; k++, rest /= 3)
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 3; j++) h[i, j] += inputs[rest % 3][i] * inputs[rest % 3][j] / batchSize;
            var hch = Dense.Multiply(Dense.Multiply(h, c), h);
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++) expected[i, j] += hch[i, j] / 27;
        }
        var actual = LinearSgdCovariance.BatchHessianSecondMoment(inputs, c, 1.0 / batchSize);
        Assert.True(RelativeError(expected, actual) < 1e-13, $"{RelativeError(expected, actual)}");
    }

    [Fact]
    public void OrthogonalInputsWithBatchOneHaveAClosedFormAndAnEarlierStabilityLimit()
    {
        // x₁ = e₁, x₂ = e₂, B = 1: each coordinate is multiplied by (1 − η) or 1 with probability ½, so
        // c = ½(1 − η)²c + ½c + η²σ²/2, c = ησ²/(2 − η): stable iff η < 2, i.e. η·λ_max(G) < 1 (λ_max = ½),
        // where the paper's λ/(2 − ηg) with λ = ησ², g = ½ would allow η·λ_max up to 2.
        double[][] inputs = [[1, 0], [0, 1]];
        const double sigma = 0.5;
        var stable = LinearSgdCovariance.ForAlgorithm1(inputs, 1.5, sigma, 1);
        Assert.True(stable.MeanSquareStable);
        Assert.Equal(1.5 * sigma * sigma / (2 - 1.5), stable.Covariance[0, 0], 12);
        Assert.Equal(1.5 * sigma * sigma / (2 - 1.5), stable.Covariance[1, 1], 12);
        Assert.Equal(0, stable.Covariance[0, 1], 12);

        var unstable = LinearSgdCovariance.ForAlgorithm1(inputs, 2.5, sigma, 1);
        Assert.False(unstable.MeanSquareStable);
        Assert.Contains("not mean-square stable", unstable.StopReason);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        double[][] inputs = [[1, 0], [0, 1]];
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearSgdCovariance.Solve(inputs, 0.1, 0.01, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearSgdCovariance.Solve(inputs, -0.1, 0.01, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearSgdCovariance.ForAlgorithm1(inputs, 0.1, 1, 0));
        Assert.Throws<ArgumentException>(() => LinearSgdCovariance.Solve([[1, 0], [1]], 0.1, 0.01, 0.5));
        Assert.Throws<ArgumentException>(() => LinearSgdCovariance.Solve([[0, 0]], 0.1, 0.01, 0.5));
        Assert.Throws<ArgumentException>(() => LinearSgdCovariance.BatchHessianSecondMoment(inputs, new double[3, 3], 0.5));
    }
}
