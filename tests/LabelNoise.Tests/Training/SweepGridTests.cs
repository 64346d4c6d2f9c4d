using LabelNoise;
using LabelNoise.Training;

namespace LabelNoise.Tests.Training;

public class SweepGridTests
{
    [Fact]
    public void EnumeratesTheProductWithTheLastOptionFastest()
    {
        var grid = new SweepGrid([("lr", "0.05,0.1"), ("seed", "0,1,2"), ("model", "mlp:64,64;cnn")]);
        Assert.Equal(12, grid.Count);
        Assert.Equal(["lr", "seed", "model"], grid.Varied);
        Assert.Equal([("lr", "0.05"), ("seed", "0"), ("model", "mlp:64,64")], grid[0].Values);
        Assert.Equal([("lr", "0.05"), ("seed", "0"), ("model", "cnn")], grid[1].Values);
        Assert.Equal([("lr", "0.1"), ("seed", "2"), ("model", "cnn")], grid[11].Values);
        Assert.Equal(12, grid.Points.Select(p => p.Describe()).Distinct().Count());
        Assert.Equal("run-011", grid[11].FolderName);
    }

    [Fact]
    public void RejectsIndicesOutsideTheGrid()
    {
        var grid = new SweepGrid([("lr", "0.1")]);
        Assert.Contains("0 to 0", Assert.Throws<SettingException>(() => grid[1]).Message);
    }
}
