using LabelNoise.Experiments;

namespace LabelNoise.Tests.Experiments;

public class FullBatchSearchTests
{
    [Fact]
    public void TheFirstSettingWhereGdConvergedFitsEverythingAndTestsThreePointsUnderSgdQualifies()
    {
        var table = FullBatchSearch.NewTable();
        // candidate, n, cnn, width, depth, η, β, steps, train acc, loss, ‖∇L‖, movement, converged, GD test, SGD test, gap, seconds
        table.Add(0, 1000, 1, 16, 1, 0.1, 0.9, 300, 1, 5e-4, 1e-3, 5e-4, 1, 0.80, 0.81, 1.0, 10);     // gap too small
        table.Add(1, 1000, 0, 512, 2, 0.5, 0, 1500, 0.98, 0.05, 0.1, 0.01, 0, 0.70, 0.80, 10, 10);    // GD did not reach 100 %
        table.Add(2, 500, 0, 64, 1, 0.2, 0.9, 400, 1, 0.02, 0.05, 0.004, 0, 0.70, 0.78, 8.0, 10);      // 100 %, but stopped before converging
        table.Add(3, 500, 0, 64, 1, 0.2, 0.9, 900, 1, 4e-4, 8e-4, 6e-4, 1, 0.74, 0.78, 2.9, 10);       // gap just under 3
        table.Add(4, 500, 0, 64, 1, 0.2, 0.9, 800, 1, 3e-4, 9e-4, 7e-4, 1, 0.75, 0.78, 3.0, 10);       // qualifies
        table.Add(5, 500, 0, 64, 1, 0.2, 0.9, 800, 1, 3e-4, 9e-4, 7e-4, 1, 0.70, 0.78, 8.0, 10);
        Assert.Equal(4, FullBatchSearch.Qualifying(table));
        Assert.Equal(-1, FullBatchSearch.Qualifying(FullBatchSearch.NewTable()));
        Assert.StartsWith("n = 500, MLP 64, GD η = 0.2, β = 0.9: GD 800 steps to 100.0 % train, loss 0.0003, ‖∇L‖ 0.0009, test 75.0 %; SGD 78.0 %; gap 3.0 points", FullBatchSearch.DescribeRow(table, 4));
        Assert.Contains("(not converged)", FullBatchSearch.DescribeRow(table, 2));
        Assert.StartsWith("n = 1,000, MLP 512-512, GD η = 0.5 without momentum", FullBatchSearch.DescribeRow(table, 1));
    }

    [Fact]
    public void GdHasConvergedWhenItsLossIsUnderTheThresholdAndItStoppedMoving()
    {
        var recipe = new InitRecipe { MinimizerLoss = 1e-3, MinimizerMovement = 1e-3 };
        InitPhase Phase(double loss, double movement) => new(EscapeInit.FullBatch, 0, 100, 1, 0.8, 1) { Loss = loss, Movement = movement };
        Assert.True(FullBatchSearch.Converged(Phase(1e-3, 1e-3), recipe));
        Assert.False(FullBatchSearch.Converged(Phase(2e-3, 1e-4), recipe));
        Assert.False(FullBatchSearch.Converged(Phase(1e-4, 2e-3), recipe));
        Assert.False(FullBatchSearch.Converged(Phase(double.NaN, 1e-4), recipe));
    }
}
