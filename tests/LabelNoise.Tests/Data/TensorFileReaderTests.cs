using System.Collections.Specialized;
using LabelNoise.Data;
using LabelNoise.Tests.TestSupport;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace LabelNoise.Tests.Data;

public class TensorFileReaderTests
{
    static string Save(TempFolder folder, string name, params (string Key, Tensor Value)[] entries)
    {
        var dict = new OrderedDictionary();
        foreach (var (key, value) in entries) dict[key] = value;
        string path = folder.File(name);
        PyTorchPickler.PickleStateDict(path, dict);
        return path;
    }

    [Fact]
    public void ImagesWithInt64LabelsAreClassificationAndFloatTargetsRegression()
    {
        using var folder = new TempFolder();
        var images = Save(folder, "images.pt", ("x", arange(2 * 1 * 2 * 2, ScalarType.Float32).reshape(2, 1, 2, 2)), ("y", tensor(new long[] { 0, 2 })),
            ("x_test", zeros(1, 1, 2, 2)), ("y_test", tensor(new long[] { 1 })));
        var split = DataSpec.Parse("tensors:" + images).Load();
        var train = Assert.IsType<ClassificationDataset>(split.Train);
        Assert.Equal([1, 2, 2], train.SampleShape);
        Assert.Equal(3, train.ClassCount);
        Assert.Equal([0, 2], train.Labels);
        Assert.Equal(5, train.Feature(1, 1));
        Assert.Equal(1, Assert.IsType<ClassificationDataset>(split.Test).Count);
        var targets = Save(folder, "targets.pt", ("x", ones(3, 2, ScalarType.Float64)), ("y", tensor(new[] { 0.5, -1, 2 })));
        var regression = Assert.IsType<RegressionDataset>(DataSpec.Parse("tensors:" + targets).Load().Train);
        Assert.Equal([0.5, -1, 2], regression.Targets);
        var imageTargets = Save(folder, "image-targets.pt", ("x", ones(2, 1, 2, 3, ScalarType.Float64)), ("y", tensor(new[] { 0.5, -1 })));
        var images2 = Assert.IsType<RegressionDataset>(DataSpec.Parse("tensors:" + imageTargets).Load().Train);
        Assert.Equal([1, 2, 3], images2.SampleShape);
        Assert.Equal(6, images2.FeatureCount);
        Assert.Null(DataSpec.Parse("tensors:" + targets).Load().Test);
    }

    [Fact]
    public void WhatDoesNotFitIsOneSentenceNamingTheFileAndTheProblem()
    {
        using var folder = new TempFolder();
        void Refused(string expected, params (string, Tensor)[] entries)
        {
            var path = Save(folder, Guid.NewGuid().ToString("N") + ".pt", entries);
            var e = Assert.Throws<DataFormatException>(() => DataSpec.Parse("tensors:" + path).Load());
            Assert.Contains(expected, e.Message);
            Assert.StartsWith(path, e.Message);
        }
        Refused("needs tensors 'x' and 'y' (it holds x)", ("x", zeros(2, 3)));
        Refused("holds 2 examples in 'x' but 3 in 'y'", ("x", zeros(2, 3)), ("y", tensor(new long[] { 0, 1, 1 })));
        Refused("negative class label", ("x", zeros(2, 3)), ("y", tensor(new long[] { 0, -1 })));
        Refused("not floating point", ("x", zeros(2, 3, ScalarType.Int64)), ("y", tensor(new long[] { 0, 1 })));
        Refused("only one of 'x_test' and 'y_test'", ("x", zeros(2, 3)), ("y", tensor(new long[] { 0, 1 })), ("x_test", zeros(1, 3)));
        Refused("not finite", ("x", full(2, 3, double.NaN)), ("y", tensor(new long[] { 0, 1 })));
        File.WriteAllText(folder.File("text.pt"), "hello");
        Assert.Throws<DataFormatException>(() => DataSpec.Parse("tensors:" + folder.File("text.pt")).Load());
    }
}
