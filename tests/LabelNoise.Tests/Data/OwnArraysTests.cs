using LabelNoise.Data;

namespace LabelNoise.Tests.Data;

/// <summary>The data sets of docs/library.md's "Your own data", built as written there.</summary>
public class OwnArraysTests
{
    [Fact]
    public void TheDocumentedRegressionDataSetHasItsRowsWhereTheDocsSay()
    {
        var data = new RegressionDataset("mine", featureCount: 2, features: [0, 1, 1, 0, 1, 1, 2, 0], targets: [1, -1, 0.5, 2]);
        Assert.Equal(4, data.Count);
        Assert.Equal([2.0, 0.0], data.Row(3).ToArray());
        Assert.Equal(0.5, data.Targets[2]);
    }

    [Fact]
    public void TheDocumentedImagesHaveTheirShapeAndLabels()
    {
        var data = new ClassificationDataset("my-images", sampleShape: [1, 2, 2], features: [0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 1, 1], labels: [0, 1, 1], classCount: 2);
        Assert.Equal(3, data.Count);
        Assert.Equal(4, data.FeatureCount);
        Assert.Equal(1, data.Feature(1, 0));
        Assert.Equal(0, data.Feature(1, 2));
    }

    [Fact]
    public void ShapesThatDoNotFitAndLabelsOutOfRangeAreOneSentenceEach()
    {
        Assert.Contains("do not make 2 examples of 2", Assert.Throws<SettingException>(() => new RegressionDataset("x", 2, [1, 2, 3], [1, 2])).Message);
        Assert.Contains("the label 2 of example 1 is outside [0, 2)", Assert.Throws<SettingException>(() => new ClassificationDataset("x", [1], [0, 1], [0, 2], 2)).Message);
        Assert.Contains("at least 2 classes", Assert.Throws<SettingException>(() => new ClassificationDataset("x", [1], [0], [0], 1)).Message);
    }
}
