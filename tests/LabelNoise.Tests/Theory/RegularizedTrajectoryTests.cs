using LabelNoise.Curvature;
using LabelNoise.Models;
using LabelNoise.Objectives;
using LabelNoise.Randomness;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Theory;

namespace LabelNoise.Tests.Theory;

public class RegularizedTrajectoryTests
{
    // The quadratic model at an interpolating point: w* = u*⊙u* − v*⊙v*, y = ⟨w*, x⟩ exactly.
    static readonly double[] UStar = [1.2, 0.5, 0.8];
    static readonly double[] VStar = [0.3, 0.9, 0.1];

    static HandObjective InterpolatingQuadratic(out double[] start)
    {
        var weights = UStar.Select((u, j) => u * u - VStar[j] * VStar[j]).ToArray();
        var data = TestData.Regression(2, 3, 21, weights); // n = 2 < d = 3: a manifold of interpolators
        start = [.. UStar, .. VStar];
        return new HandObjective(new QuadraticModel(3), data, start);
    }

    static double LargestEigenvalue(double[,] m) => SymmetricEigen.Eigenvalues(m).Max();

    static double Norm(IEnumerable<double> v) => Math.Sqrt(v.Sum(x => x * x));

    /// <summary>Central finite difference of the exact R (from the eigenvalues) at the objective's current point.</summary>
    static double[] FiniteDifferenceOfR(RegularizedLoss loss, double[] at, double h)
    {
        var objective = loss.Objective;
        var result = new double[at.Length];
        for (int k = 0; k < at.Length; k++)
        {
            var plus = (double[])at.Clone();
            var minus = (double[])at.Clone();
            plus[k] += h;
            minus[k] -= h;
            objective.SetParameters(plus);
            double rPlus = loss.Evaluate(false).Regularizer;
            objective.SetParameters(minus);
            double rMinus = loss.Evaluate(false).Regularizer;
            result[k] = (rPlus - rMinus) / (2 * h);
        }
        objective.SetParameters(at);
        return result;
    }

    [Fact]
    public void WithoutRegularizationItIsPlainGradientDescent()
    {
        var data = TestData.Regression(5, 3, 22); // random targets: no interpolation
        var start = new double[] { 0.4, -1.1, 2.0 };
        using var objective = new HandObjective(new LinearModel(3), data, start);
        double eta = 1.0 / LargestEigenvalue(objective.HessianMatrix());
        var loss = new RegularizedLoss(objective, new RegularizerSettings(eta), lambda: 0);
        var elsewhere = new double[] { 7, 8, 9 };
        objective.SetParameters(elsewhere);

        var result = RegularizedTrajectory.Run(loss, start, steps: 40);

        // By hand: θ ← θ − η (1/n) Σ (⟨θ, x_i⟩ − y_i) x_i.
        var theta = (double[])start.Clone();
        Assert.Equal(41, result.Points.Count);
        for (int k = 0; k <= 40; k++)
        {
            var point = result.Points[k];
            Assert.Equal(k, point.Step);
            for (int j = 0; j < 3; j++) Assert.Equal(theta[j], point.Parameters[j], 1e-12);
            double handLoss = 0;
            var gradient = new double[3];
            for (int i = 0; i < data.Count; i++)
            {
                var x = data.Row(i);
                double r = theta[0] * x[0] + theta[1] * x[1] + theta[2] * x[2] - data.Targets[i];
                handLoss += 0.5 * r * r / data.Count;
                for (int j = 0; j < 3; j++) gradient[j] += r * x[j] / data.Count;
            }
            Assert.Equal(handLoss, point.Loss, 1e-12);
            Assert.Equal(handLoss, point.RegularizedLoss, 1e-12);
            Assert.Equal(handLoss, result.RegularizedLosses[k], 1e-12);
            for (int j = 0; j < 3; j++) theta[j] -= eta * gradient[j];
        }
        Assert.Equal(TrajectoryStop.Completed, result.Stop);
        Assert.Equal(40, result.StepsTaken);
        Assert.Equal(eta, result.StepSize);
        Assert.Equal(elsewhere, objective.GetParameters()); // the objective's point is restored
        Assert.Equal(start, new[] { 0.4, -1.1, 2.0 }); // the input is untouched
    }

    [Fact]
    public void DecreasesRegularizedLossFromAnInterpolatingPoint()
    {
        using var objective = InterpolatingQuadratic(out var start);
        double eta = 0.5 / LargestEigenvalue(objective.HessianMatrix());
        const double lambda = 0.05;
        var loss = new RegularizedLoss(objective, new RegularizerSettings(eta), lambda);
        Assert.True(objective.Loss() < 1e-28, $"not interpolating: L = {objective.Loss()}");

        var result = RegularizedTrajectory.Run(loss, start, steps: 200, recordEvery: 50);

        Assert.Equal(TrajectoryStop.Completed, result.Stop);
        Assert.Equal(201, result.RegularizedLosses.Count);
        for (int k = 1; k <= 200; k++)
            Assert.True(result.RegularizedLosses[k] < result.RegularizedLosses[k - 1],
                $"L~ rose at step {k}: {result.RegularizedLosses[k - 1]} -> {result.RegularizedLosses[k]}");
        Assert.Equal([0, 50, 100, 150, 200], result.Points.Select(p => p.Step));
        // It moves along the flat directions: R falls noticeably while L stays small.
        Assert.True(result.Final.Regularizer < 0.95 * result.Points[0].Regularizer,
            $"R: {result.Points[0].Regularizer} -> {result.Final.Regularizer}");
        Assert.True(result.Final.Loss < 0.1 * lambda * result.Points[0].Regularizer, $"L = {result.Final.Loss}");
    }

    [Fact]
    public void FirstStepIsGradientOfLossPlusLambdaTimesFiniteDifferenceOfR()
    {
        using var objective = InterpolatingQuadratic(out var start);
        double eta = 0.5 / LargestEigenvalue(objective.HessianMatrix());
        const double lambda = 0.05;
        var loss = new RegularizedLoss(objective, new RegularizerSettings(eta), lambda);

        var result = RegularizedTrajectory.Run(loss, start, steps: 1);
        var theta1 = result.Points[1].Parameters;

        objective.SetParameters(start);
        var gradientL = objective.Gradient();
        var fdR = FiniteDifferenceOfR(loss, start, 1e-5);
        // θ₁ = θ₀ − η(∇L + λ∇R): compare the λ∇R part, (θ₀ − θ₁)/η − ∇L, with λ × the finite difference.
        var implied = start.Select((x, k) => (x - theta1[k]) / eta - gradientL[k]).ToArray();
        var expected = fdR.Select(g => lambda * g).ToArray();
        double error = Norm(implied.Select((x, k) => x - expected[k]));
        Assert.True(Norm(expected) > 1e-3, $"∇R is too small to test: {Norm(expected)}");
        Assert.True(error < 1e-6 * Norm(expected), $"relative error {error / Norm(expected)}");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.9)]
    public void RegularizerGradientMatchesFiniteDifferenceAwayFromInterpolation(double momentum)
    {
        // Random targets and a random point: residuals ≠ 0, so ∇²L = G + E with E ≠ 0, and negative eigenvalues.
        var data = TestData.Regression(4, 3, 23);
        var generator = new RandomStream(24);
        var theta = Enumerable.Range(0, 6).Select(_ => generator.NextGaussian()).ToArray();
        using var objective = new HandObjective(new QuadraticModel(3), data, theta);
        var hessian = objective.HessianMatrix();
        var g = objective.GaussNewtonMatrix();
        double eNorm = 0;
        for (int a = 0; a < 6; a++)
            for (int b = 0; b < 6; b++) eNorm = Math.Max(eNorm, Math.Abs(hessian[a, b] - g[a, b]));
        Assert.True(eNorm > 0.1, $"E is too small to test: {eNorm}");

        // η·λ_max = 1.5 (η'λ_max = 1.5/(1+β) with η' = η/(1+β)): far from the small-η regime, where
        // h′ = 1/(2 − η'x) varies a lot; the same η for both momenta, so the two cases differ.
        var eigenvalues = SymmetricEigen.Eigenvalues(hessian);
        Assert.True(eigenvalues.Min() < 0, "expected a negative eigenvalue");
        double eta = 1.5 / eigenvalues.Max();
        var loss = new RegularizedLoss(objective, new RegularizerSettings(eta, momentum), lambda: 0.1);

        var point = loss.Evaluate();
        Assert.True(point.IsFinite);
        var formula = point.RegularizerGradient!;
        var fd = FiniteDifferenceOfR(loss, theta, 1e-5);
        double error = Norm(formula.Select((x, k) => x - fd[k]));
        Assert.True(error < 1e-6 * Norm(fd), $"momentum {momentum}: relative error {error / Norm(fd)}; formula [{string.Join(", ", formula)}] fd [{string.Join(", ", fd)}]");
        // And L̃'s gradient is ∇L + λ∇R.
        var gradientL = objective.Gradient();
        for (int k = 0; k < 6; k++) Assert.Equal(gradientL[k] + 0.1 * formula[k], point.RegularizedGradient![k], 1e-12);
    }

    [Fact]
    public void StopsWhenRegularizerIsInfinite()
    {
        using var objective = InterpolatingQuadratic(out var start);
        double eta = 2.5 / LargestEigenvalue(objective.HessianMatrix()); // η·λ_max = 2.5 ≥ 2
        var loss = new RegularizedLoss(objective, new RegularizerSettings(eta), 0.05);
        var result = RegularizedTrajectory.Run(loss, start, steps: 10);
        Assert.Equal(TrajectoryStop.RegularizerInfinite, result.Stop);
        Assert.Equal(0, result.StepsTaken);
        Assert.Equal(0, result.StopStep);
        Assert.Contains("step 0", result.StopReason);
        Assert.Single(result.Points);
        Assert.True(double.IsPositiveInfinity(result.Final.Regularizer));
        Assert.True(double.IsNaN(result.Final.RegularizedGradientNorm));
        Assert.Equal(start, objective.GetParameters());
    }

    [Fact]
    public void RecordsEveryRequestedStepAndTheLast()
    {
        using var objective = InterpolatingQuadratic(out var start);
        double eta = 0.5 / LargestEigenvalue(objective.HessianMatrix());
        var loss = new RegularizedLoss(objective, new RegularizerSettings(eta), 0.05);
        var result = RegularizedTrajectory.Run(loss, start, steps: 10, recordEvery: 4);
        Assert.Equal([0, 4, 8, 10], result.Points.Select(p => p.Step));
        Assert.Equal(11, result.RegularizedLosses.Count);
        Assert.Equal(result.RegularizedLosses[8], result.Points[2].RegularizedLoss);

        var zero = RegularizedTrajectory.Run(loss, start, steps: 0);
        Assert.Single(zero.Points);
        Assert.Equal(start, zero.Final.Parameters);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        using var objective = InterpolatingQuadratic(out var start);
        var loss = new RegularizedLoss(objective, new RegularizerSettings(0.1), 0.05);
        var steps = Assert.Throws<ArgumentOutOfRangeException>(() => RegularizedTrajectory.Run(loss, start, -1));
        Assert.Contains("-1", steps.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => RegularizedTrajectory.Run(loss, start, 5, recordEvery: 0));
        var size = Assert.Throws<ArgumentOutOfRangeException>(() => RegularizedTrajectory.Run(loss, start, 5, stepSize: -0.5));
        Assert.Contains("-0.5", size.Message);
        var length = Assert.Throws<ArgumentException>(() => RegularizedTrajectory.Run(loss, [1.0, 2.0], 5));
        Assert.Contains("2 entries", length.Message);
        var nan = Assert.Throws<ArgumentException>(() => RegularizedTrajectory.Run(loss, [1, 2, double.NaN, 4, 5, 6], 5));
        Assert.Contains("entry 2", nan.Message);
    }
}
