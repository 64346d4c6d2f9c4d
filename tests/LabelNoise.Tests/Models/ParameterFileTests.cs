using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Tests.TestSupport;

namespace LabelNoise.Tests.Models;

public class ParameterFileTests
{
    [Fact]
    public void RoundTripsExactly()
    {
        using var folder = new TempFolder();
        double[] values = [0.1 + 0.2, -1e-300, 12345.678901234567, 0];
        ParameterFile.Write(folder.File("p.txt"), values);
        Assert.Equal(values, ParameterFile.Read(folder.File("p.txt"), 4));
    }

    [Theory]
    [InlineData("1\n2\n", 3, "holds 2 parameters but the model has 3")]
    [InlineData("1\nx\n3\n", 3, "line 2 is not a number")]
    [InlineData("1\nNaN\n3\n", 3, "line 2 is not a finite number ('NaN')")]
    [InlineData("Infinity\n2\n3\n", 3, "line 1 is not a finite number")]
    [InlineData("1\n2\n-Infinity\n", 3, "line 3 is not a finite number")]
    [InlineData("1\n2\n1e400\n", 3, "line 3 is not a finite number")]
    public void ReportsWrongFilesInOneSentence(string text, int count, string fragment)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("p.txt"), text);
        var e = Assert.Throws<DataFormatException>(() => ParameterFile.Read(folder.File("p.txt"), count));
        Assert.Contains(fragment, e.Message);
        Assert.Contains("p.txt", e.Message);
    }
}
