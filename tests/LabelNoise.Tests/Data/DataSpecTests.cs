using LabelNoise;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Data;

namespace LabelNoise.Tests.Data;

public sealed class DataSpecTests : IDisposable
{
    readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("fashion-mnist", DataKind.FashionMnist, DataSpec.DebianFashionMnistFolder)]
    [InlineData(" Fashion-MNIST ", DataKind.FashionMnist, DataSpec.DebianFashionMnistFolder)]
    [InlineData("fashion-mnist:/data/fm", DataKind.FashionMnist, "/data/fm")]
    [InlineData("mnist:/data/mnist", DataKind.Mnist, "/data/mnist")]
    [InlineData("cifar10:rel/cifar", DataKind.Cifar10, "rel/cifar")]
    [InlineData("/tmp/x/train.csv", DataKind.Csv, "/tmp/x/train.csv")]
    [InlineData("DATA.CSV", DataKind.Csv, "DATA.CSV")]
    public void ParsesFileKinds(string text, DataKind kind, string path)
    {
        var spec = DataSpec.Parse(text);
        Assert.Equal(kind, spec.Kind);
        Assert.Equal(path, spec.Path);
        Assert.Equal(spec, DataSpec.Parse(spec.ToString()));
    }

    [Theory]
    [InlineData("sparse", 100, 40, 5, 1UL)]
    [InlineData("sparse:", 100, 40, 5, 1UL)]
    [InlineData("sparse:d=100,n=40,r=5,seed=1", 100, 40, 5, 1UL)]
    [InlineData("sparse:seed=9, r=3 ,d=20", 20, 40, 3, 9UL)]
    [InlineData("sparse:n=7", 100, 7, 5, 1UL)]
    [InlineData("sparse:seed=18446744073709551615", 100, 40, 5, ulong.MaxValue)]
    public void ParsesSparse(string text, int d, int n, int r, ulong seed)
    {
        var spec = DataSpec.Parse(text);
        Assert.Equal(new DataSpec(DataKind.Sparse, null, d, n, r, seed), spec);
        Assert.Equal(spec, DataSpec.Parse(spec.ToString()));
    }

    [Theory]
    [InlineData("sparse:d=10,k=3", "'k'")]
    [InlineData("sparse:d=ten", "'ten'")]
    [InlineData("sparse:n=2.5", "'2.5'")]
    [InlineData("sparse:seed=-1", "'-1'")]
    [InlineData("sparse:d", "'d'")]
    [InlineData("sparse:d=3,d=4", "'d'")]
    [InlineData("sparse:d=3,r=4", "r=4")]
    [InlineData("sparse:n=0", "n=0")]
    [InlineData("mnist:", "mnist:")]
    public void RejectsBadArguments(string text, string named)
    {
        var e = Assert.Throws<SettingException>(() => DataSpec.Parse(text));
        Assert.Contains(named, e.Message);
    }

    [Theory]
    [InlineData("imagenet")]
    [InlineData("data.tsv")]
    [InlineData("")]
    public void UnknownSpecListsTheAcceptedForms(string text)
    {
        var e = Assert.Throws<SettingException>(() => DataSpec.Parse(text));
        foreach (var form in new[] { "fashion-mnist", "fashion-mnist:DIR", "mnist:DIR", "cifar10:DIR", "PATH.csv", "sparse:d=100,n=40,r=5,seed=1" })
            Assert.Contains(form, e.Message);
        if (text.Length > 0) Assert.Contains($"'{text}'", e.Message);
    }

    [Fact]
    public void LoadsIdxWithBalancedSubsets()
    {
        // 40 training images, 4 per class (labels i % 10), and 20 test images.
        byte[] trainLabels = [.. Enumerable.Range(0, 40).Select(i => (byte)(i % 10))];
        byte[] testLabels = [.. Enumerable.Range(0, 20).Select(i => (byte)(i % 10))];
        IdxReaderTests.WriteFolder(temp.Path, trainPixels: new byte[40 * 6], trainLabels: trainLabels,
            testPixels: new byte[20 * 6], testLabels: testLabels);
        var spec = DataSpec.Parse("mnist:" + temp.Path);

        var full = spec.Load();
        Assert.Equal(40, full.Train.Count);
        Assert.Equal("mnist/train", full.Train.Name);

        var options = new DataOptions { TrainSize = 13, TestSize = 10, SubsetSeed = 4 };
        var split = spec.Load(options);
        var train = (ClassificationDataset)split.Train;
        var test = (ClassificationDataset)split.Test!;
        Assert.Equal(13, train.Count);
        for (int c = 0; c < 10; c++) Assert.Equal(c < 3 ? 2 : 1, train.Labels.Count(l => l == c));
        Assert.Equal(10, test.Count);
        Assert.Equal(Enumerable.Range(0, 10), test.Labels.Order());

        Assert.Equal(train.Labels, ((ClassificationDataset)spec.Load(options).Train).Labels);
        var expected = ClassBalancedSubset.Select(trainLabels.Select(b => (int)b).ToArray(), 10, 13,
            new LabelNoise.Randomness.RandomStream(4).Split());
        Assert.Equal(expected.Select(i => (int)trainLabels[i]), train.Labels);

        var e = Assert.Throws<SettingException>(() => spec.Load(new DataOptions { TrainSize = 41 }));
        Assert.Contains("41", e.Message);
        Assert.Contains("40", e.Message);
    }

    [Fact]
    public void LoadPassesTheScaling()
    {
        IdxReaderTests.WriteFolder(temp.Path);
        var split = DataSpec.Parse("fashion-mnist:" + temp.Path).Load(new DataOptions { Scaling = PixelScaling.Raw });
        Assert.Equal(IdxReaderTests.TrainPixels.Select(b => (float)b), ((ClassificationDataset)split.Train).Features);
        Assert.Equal("fashion-mnist/test", split.Test!.Name);
    }

    [Fact]
    public void LoadsCifar10()
    {
        Cifar10ReaderTests.WriteFolder(temp.Path);
        var split = DataSpec.Parse("cifar10:" + temp.Path).Load(new DataOptions { TestSize = 2 });
        Assert.Equal(7, split.Train.Count);
        Assert.Equal([3, 32, 32], split.Train.SampleShape);
        Assert.Equal(2, split.Test!.Count);
    }

    [Fact]
    public void CsvTrainSizeTakesTheFirstRows()
    {
        string path = temp.File("reg.csv");
        File.WriteAllText(path, "a,y\n1,10\n2,20\n3,30\n");
        var spec = DataSpec.Parse(path);
        var train = (RegressionDataset)spec.Load(new DataOptions { TrainSize = 2, SubsetSeed = 77 }).Train;
        Assert.Equal([10.0, 20.0], train.Targets);
        Assert.Null(spec.Load().Test);
        Assert.Throws<SettingException>(() => spec.Load(new DataOptions { TrainSize = 4 }));
        var e = Assert.Throws<SettingException>(() => spec.Load(new DataOptions { TestSize = 1 }));
        Assert.Contains("no test set", e.Message);
    }

    [Fact]
    public void LoadsSparse()
    {
        var spec = DataSpec.Parse("sparse:d=10,n=8,r=2,seed=3");
        var full = spec.Load();
        var cut = spec.Load(new DataOptions { TrainSize = 5, TestSize = 3 });
        Assert.Equal(8, full.Train.Count);
        Assert.Equal(SparseRegressionGenerator.DefaultTestSize, full.Test!.Count);
        Assert.Equal(((RegressionDataset)full.Train).Features.Take(50), ((RegressionDataset)cut.Train).Features);
        Assert.Equal(((RegressionDataset)full.Test).Targets.Take(3), ((RegressionDataset)cut.Test!).Targets);
    }

    [Fact]
    public void MissingFolderIsAMissingFile()
    {
        string folder = temp.File("nothing-here");
        var e = Assert.Throws<DataFormatException>(() => DataSpec.Parse("mnist:" + folder).Load());
        Assert.Contains(folder, e.Message);
        Assert.Contains("missing file", e.Message);
    }

    [Fact]
    public void RealFashionMnist()
    {
        var spec = DataSpec.Parse("fashion-mnist");
        if (!Directory.Exists(DataSpec.DebianFashionMnistFolder))
        {
            // Without the Debian package dataset-fashion-mnist the default spec must say what is missing.
            var e = Assert.Throws<DataFormatException>(() => spec.Load());
            Assert.Contains(DataSpec.DebianFashionMnistFolder, e.Message);
            Assert.Contains("missing file", e.Message);
            return;
        }

        var split = spec.Load();
        var train = (ClassificationDataset)split.Train;
        var test = (ClassificationDataset)split.Test!;
        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        Assert.Equal([1, 28, 28], train.SampleShape);
        for (int c = 0; c < 10; c++)
        {
            Assert.Equal(6000, train.Labels.Count(l => l == c));
            Assert.Equal(1000, test.Labels.Count(l => l == c));
        }
        Assert.Equal(0f, train.Features.Min());
        Assert.Equal(1f, train.Features.Max());
    }
}
