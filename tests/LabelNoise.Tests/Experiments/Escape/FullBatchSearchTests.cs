using LabelNoise.Experiments;

namespace LabelNoise.Tests.Experiments;

public class FullBatchSearchTests
{
    [Fact]
    public void TheFirstSettingWhereGdFitsEverythingAndTestsTwoPointsUnderSgdQualifies()
    {
        var table = FullBatchSearch.NewTable();
        table.Add(0, 1000, 1, 16, 1, 0.1, 0.9, 300, 1, 0.80, 0.81, 1.0, 10);   // gap too small
        table.Add(1, 1000, 0, 512, 2, 0.5, 0, 1500, 0.98, 0.70, 0.80, 10, 10);   // GD did not reach 100 %
        table.Add(2, 500, 0, 64, 1, 0.2, 0.9, 400, 1, 0.75, 0.78, 3.0, 10);      // qualifies
        table.Add(3, 500, 0, 64, 1, 0.2, 0.9, 400, 1, 0.70, 0.78, 8.0, 10);
        Assert.Equal(2, FullBatchSearch.Qualifying(table));
        Assert.Equal(-1, FullBatchSearch.Qualifying(FullBatchSearch.NewTable()));
        Assert.StartsWith("n = 500, MLP 64, GD η = 0.2, β = 0.9: GD 400 steps to 100.0 % train, test 75.0 %; SGD 78.0 %; gap 3.0 points", FullBatchSearch.DescribeRow(table, 2));
        Assert.StartsWith("n = 1,000, MLP 512-512, GD η = 0.5 without momentum", FullBatchSearch.DescribeRow(table, 1));
    }
}
