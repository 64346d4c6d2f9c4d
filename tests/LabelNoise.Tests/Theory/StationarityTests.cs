using LabelNoise.Curvature;
using LabelNoise.Models;
using LabelNoise.Objectives;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Theory;

namespace LabelNoise.Tests.Theory;

public class StationarityTests
{
    static readonly double[] UStar = [1.2, 0.5, 0.8];
    static readonly double[] VStar = [0.3, 0.9, 0.1];
    static readonly double[] Far = [2.5, -1.5, 2.0, 1.0, 0.5, 1.5];
    static double[] Interpolating => [.. UStar, .. VStar];

    /// <summary>The quadratic model with y = ⟨u*⊙u* − v*⊙v*, x⟩ (n = 2 &lt; d = 3), λ = 1, η = 0.5/λ_max at the far point.</summary>
    static (HandObjective Objective, RegularizedLoss Loss) Quadratic()
    {
        var weights = UStar.Select((u, j) => u * u - VStar[j] * VStar[j]).ToArray();
        var objective = new HandObjective(new QuadraticModel(3), TestData.Regression(2, 3, 21, weights), Far);
        double eta = 0.5 / SymmetricEigen.Eigenvalues(objective.HessianMatrix()).Max();
        return (objective, new RegularizedLoss(objective, new RegularizerSettings(eta), lambda: 1));
    }

    [Fact]
    public void FarPointIsNotStationaryWithinBudgetAndItsWitnessIsFar()
    {
        var (objective, loss) = Quadratic();
        using var _ = objective;
        const double epsilon = 0.01;

        var gradientAtFar = Stationarity.GradientNorm(loss, Far);
        Assert.True(gradientAtFar > 10, $"||grad F|| = {gradientAtFar}");

        var budget = Stationarity.Search(loss, Far, epsilon, new StationaritySearchOptions(maxSteps: 50));
        Assert.False(budget.WitnessFound);
        Assert.Equal(StationarityStop.StepBudgetExhausted, budget.Stop);
        Assert.Equal(50, budget.Steps);
        Assert.Equal(51, budget.Evaluations); // no backtracking needed at η
        Assert.True(double.IsPositiveInfinity(budget.WitnessDistance));
        Assert.Equal(gradientAtFar, budget.GradientNormAtPoint);
        Assert.False(budget.IsStationary(epsilon, 100));
        Assert.True(budget.FinalGradientNorm < gradientAtFar);

        var fenced = Stationarity.Search(loss, Far, epsilon, new StationaritySearchOptions(maxDistance: 1));
        Assert.Equal(StationarityStop.DistanceBudgetExceeded, fenced.Stop);
        Assert.InRange(fenced.FinalDistance, 1, 1.5);

        var full = Stationarity.Search(loss, Far, epsilon);
        Assert.True(full.WitnessFound, full.StopReason);
        Assert.True(full.WitnessGradientNorm <= epsilon);
        Assert.True(full.WitnessDistance > 2, $"witness distance {full.WitnessDistance}");
        Assert.True(full.PathLength >= full.WitnessDistance);
        Assert.False(full.IsStationary(epsilon, 1));
        Assert.True(full.IsStationary(epsilon, full.WitnessDistance));
        Assert.False(full.IsStationary(epsilon / 10, full.WitnessDistance)); // not certified for a smaller epsilon
        Assert.Equal(Far, objective.GetParameters()); // restored
    }

    [Fact]
    public void AWitnessIsItselfStationaryWithGammaZero()
    {
        var (objective, loss) = Quadratic();
        using var _ = objective;
        const double epsilon = 0.01;
        var first = Stationarity.Search(loss, Interpolating, epsilon);
        Assert.True(first.WitnessFound, first.StopReason);

        var witness = first.Witness!.ToArray();
        var again = Stationarity.Search(loss, witness, epsilon);
        Assert.True(again.WitnessFound);
        Assert.Equal(0, again.Steps);
        Assert.Equal(1, again.Evaluations);
        Assert.Equal(0, again.WitnessDistance);
        Assert.Equal(first.WitnessGradientNorm, again.GradientNormAtPoint);
        Assert.Equal(witness, again.Witness);
        Assert.True(again.IsStationary(epsilon, 0));
        Assert.Contains("itself", again.StopReason);
    }

    [Fact]
    public void AnInterpolatingPointNeedNotBeStationaryForTheRescaledLoss()
    {
        // L = 0 and ∇L = 0 at u*, v*, but ∇F = ∇R ≠ 0: the flat-minimum pull of the regularizer.
        var (objective, loss) = Quadratic();
        using var _ = objective;
        objective.SetParameters(Interpolating);
        var point = loss.Evaluate();
        Assert.True(point.Loss < 1e-28);
        double expected = Math.Sqrt(point.RegularizerGradient!.Sum(g => g * g)); // λ = 1: ∇F = ∇L + ∇R
        Assert.Equal(expected, Stationarity.GradientNorm(loss, Interpolating), 1e-10);
        var search = Stationarity.Search(loss, Interpolating, 0.01);
        Assert.True(search.WitnessFound);
        Assert.True(search.WitnessDistance > 0.5, $"{search.WitnessDistance}");
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(3.0)]
    public void LinearModelWitnessIsTheLeastSquaresSolution(double lambda)
    {
        // Linear model: ∇²L = XᵀX/n is constant, so R is constant, ∇R = 0 and F = L/λ; the only stationary
        // point is the least-squares solution, and for tiny ε the witness distance is ‖θ − θ_LS‖.
        var data = TestData.Regression(3, 2, 41); // random targets: no interpolation
        double[] start = [1.5, -2.0];
        using var objective = new HandObjective(new LinearModel(2), data, start);
        var h = objective.HessianMatrix();
        double eta = 1.0 / SymmetricEigen.Eigenvalues(h).Max();
        var loss = new RegularizedLoss(objective, new RegularizerSettings(eta), lambda);

        // θ_LS from the 2×2 normal equations (XᵀX)θ = Xᵀy.
        double a = 0, b = 0, c = 0, p = 0, q = 0;
        for (int i = 0; i < 3; i++)
        {
            var x = data.Row(i);
            a += x[0] * x[0]; b += x[0] * x[1]; c += x[1] * x[1];
            p += x[0] * data.Targets[i]; q += x[1] * data.Targets[i];
        }
        double det = a * c - b * b;
        double[] leastSquares = [(c * p - b * q) / det, (a * q - b * p) / det];
        double exactDistance = Math.Sqrt(Math.Pow(start[0] - leastSquares[0], 2) + Math.Pow(start[1] - leastSquares[1], 2));

        // ‖∇F(θ)‖ = ‖Xᵀ(Xθ − y)‖/(nλ).
        double g0 = 0, g1 = 0;
        for (int i = 0; i < 3; i++)
        {
            var x = data.Row(i);
            double r = start[0] * x[0] + start[1] * x[1] - data.Targets[i];
            g0 += r * x[0] / 3; g1 += r * x[1] / 3;
        }
        double expectedNorm = Math.Sqrt(g0 * g0 + g1 * g1) / lambda;

        const double epsilon = 1e-9;
        var result = Stationarity.Search(loss, start, epsilon);
        Assert.True(result.WitnessFound, result.StopReason);
        Assert.Equal(expectedNorm, result.GradientNormAtPoint, 1e-12 * expectedNorm);
        Assert.True(result.WitnessGradientNorm <= epsilon);
        Assert.Equal(exactDistance, result.WitnessDistance, 1e-6);
        Assert.Equal(leastSquares[0], result.Witness![0], 1e-6);
        Assert.Equal(leastSquares[1], result.Witness![1], 1e-6);
        Assert.True(result.IsStationary(epsilon, exactDistance + 1e-6));
        Assert.False(result.IsStationary(epsilon, exactDistance - 1e-3));
    }

    [Fact]
    public void InfiniteRegularizerAtThePoint()
    {
        var (objective, _) = Quadratic();
        using var __ = objective;
        double eta = 2.5 / SymmetricEigen.Eigenvalues(objective.HessianMatrix()).Max();
        var loss = new RegularizedLoss(objective, new RegularizerSettings(eta), 1);
        var result = Stationarity.Search(loss, Far, 0.01);
        Assert.Equal(StationarityStop.RegularizerInfiniteAtPoint, result.Stop);
        Assert.False(result.WitnessFound);
        Assert.True(double.IsPositiveInfinity(result.GradientNormAtPoint));
        Assert.True(double.IsPositiveInfinity(Stationarity.GradientNorm(loss, Far)));
        Assert.False(result.IsStationary(1e9, 1e9));
    }

    [Fact]
    public void RejectsBadArguments()
    {
        var (objective, loss) = Quadratic();
        using var _ = objective;
        var zeroLambda = new RegularizedLoss(objective, loss.Settings, 0);
        Assert.Contains("lambda = 0", Assert.Throws<ArgumentException>(() => Stationarity.Search(zeroLambda, Far, 0.1)).Message);
        Assert.Contains("-0.1", Assert.Throws<ArgumentOutOfRangeException>(() => Stationarity.Search(loss, Far, -0.1)).Message);
        Assert.Contains("3 entries", Assert.Throws<ArgumentException>(() => Stationarity.Search(loss, [1.0, 2, 3], 0.1)).Message);
        Assert.Throws<ArgumentException>(() => Stationarity.GradientNorm(loss, [1.0, 2, double.NaN, 4, 5, 6]));
        Assert.Contains("-1", Assert.Throws<ArgumentOutOfRangeException>(() => new StationaritySearchOptions(maxSteps: -1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new StationaritySearchOptions(initialStepSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StationaritySearchOptions(sufficientDecrease: 1));
        var result = Stationarity.Search(loss, Far, 0.1, new StationaritySearchOptions(maxSteps: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => result.IsStationary(0.1, -1));
    }
}
