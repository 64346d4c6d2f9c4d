using LabelNoise.Tests.TestSupport;
using LabelNoise.Data;

namespace LabelNoise.Tests.Data;

public sealed class CsvRegressionReaderTests : IDisposable
{
    readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    string Write(string text, string name = "data.csv")
    {
        string path = temp.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    void Fails(string text, params string[] problemParts)
    {
        string path = Write(text);
        var e = Assert.Throws<DataFormatException>(() => CsvRegressionReader.Read(path));
        Assert.Equal(path, e.File);
        Assert.Contains(path, e.Message);
        foreach (var part in problemParts) Assert.Contains(part, e.Message);
    }

    [Fact]
    public void ReadsFeaturesThenTarget()
    {
        string path = Write("1,2,3\n-4.5,5e-1,6\n");
        var data = CsvRegressionReader.Read(path);
        Assert.Equal("data.csv", data.Name);
        Assert.Equal(2, data.FeatureCount);
        Assert.Equal(2, data.Count);
        Assert.Equal([1, 2, -4.5, 0.5], data.Features);
        Assert.Equal([3, 6], data.Targets);
    }

    [Fact]
    public void SkipsHeaderAndAllowsWhitespaceCrlfAndTrailingBlankLines()
    {
        string path = Write("x1 , x2, y\r\n 1 ,\t2 ,3\r\n4,5, 6.25 \r\n\r\n  \n");
        var data = CsvRegressionReader.Read(path, "named");
        Assert.Equal("named", data.Name);
        Assert.Equal([1, 2, 4, 5], data.Features);
        Assert.Equal([3, 6.25], data.Targets);
    }

    [Fact]
    public void LoadHasNoTestSet()
    {
        var split = CsvRegressionReader.Load(Write("1,2\n3,4\n"));
        Assert.Null(split.Test);
        Assert.Equal([2.0, 4.0], ((RegressionDataset)split.Train).Targets);
    }

    [Fact]
    public void MissingFile()
    {
        string path = temp.File("absent.csv");
        var e = Assert.Throws<DataFormatException>(() => CsvRegressionReader.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("missing file", e.Message);
    }

    [Fact]
    public void EmptyFile() => Fails("", "empty file");

    [Fact]
    public void BlankOnlyFile() => Fails("\n  \n\n", "empty file");

    [Fact]
    public void HeaderOnly() => Fails("a,b,c\n", "line 1", "header", "no data rows");

    [Fact]
    public void RaggedRow() => Fails("1,2,3\n4,5,6\n7,8\n", "ragged", "line 3 has 2 cells", "line 1 has 3");

    [Fact]
    public void RaggedRowAfterHeader() => Fails("a,b\n1,2\n3,4,5\n", "ragged", "line 3 has 3 cells", "line 2 has 2");

    [Fact]
    public void HeaderOfAnotherWidth() => Fails("a,b\n1,2,3\n", "line 1", "header", "2 cells", "line 2 has 3");

    [Fact]
    public void NonNumericCell() => Fails("1,2,3\n4,five,6\n", "line 2, column 2", "'five'", "not a finite number");

    [Fact]
    public void NonFiniteCell() => Fails("1,2\n3,NaN\n", "line 2, column 2", "'NaN'");

    [Fact]
    public void CommaDecimalIsNotANumber() => Fails("1,2\n3;5,4\n", "line 2, column 1", "'3;5'");

    [Fact]
    public void SingleColumn() => Fails("1\n2\n", "line 1", "1 column", "at least 2");

    [Fact]
    public void BlankLineInTheMiddle() => Fails("1,2\n\n3,4\n", "line 2 is blank");

    [Fact]
    public void BlankFirstLine() => Fails("\n1,2\n", "line 1 is blank");
}
