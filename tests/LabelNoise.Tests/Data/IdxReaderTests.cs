using LabelNoise.Tests.TestSupport;
using System.Buffers.Binary;
using System.IO.Compression;
using LabelNoise.Data;

namespace LabelNoise.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    // Three 2×3 training images and two test images; every pixel is distinct.
    internal static readonly byte[] TrainPixels = [.. Enumerable.Range(0, 18).Select(i => (byte)(i * 14))];
    internal static readonly byte[] TrainLabels = [3, 0, 9];
    internal static readonly byte[] TestPixels = [.. Enumerable.Range(0, 12).Select(i => (byte)(255 - i * 20))];
    internal static readonly byte[] TestLabels = [7, 1];

    /// <summary>The bytes of an IDX file: big-endian magic and dimensions, then the data.</summary>
    internal static byte[] Idx(int magic, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int k = 0; k < dims.Length; k++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * k), dims[k]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    internal static byte[] Gzip(byte[] data)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest)) gzip.Write(data);
        return memory.ToArray();
    }

    /// <summary>Writes the four files (gzipped, as NAME.gz, or plain) into <paramref name="folder"/>.</summary>
    internal static void WriteFolder(string folder, bool gzip = true,
        byte[]? trainPixels = null, byte[]? trainLabels = null, byte[]? testPixels = null, byte[]? testLabels = null,
        int rows = 2, int cols = 3)
    {
        trainPixels ??= TrainPixels; trainLabels ??= TrainLabels; testPixels ??= TestPixels; testLabels ??= TestLabels;
        void Write(string name, byte[] bytes) =>
            File.WriteAllBytes(Path.Combine(folder, gzip ? name + ".gz" : name), gzip ? Gzip(bytes) : bytes);
        Write(IdxReader.TrainImagesFile, Idx(IdxReader.ImagesMagic, [trainPixels.Length / (rows * cols), rows, cols], trainPixels));
        Write(IdxReader.TrainLabelsFile, Idx(IdxReader.LabelsMagic, [trainLabels.Length], trainLabels));
        Write(IdxReader.TestImagesFile, Idx(IdxReader.ImagesMagic, [testPixels.Length / (rows * cols), rows, cols], testPixels));
        Write(IdxReader.TestLabelsFile, Idx(IdxReader.LabelsMagic, [testLabels.Length], testLabels));
    }

    DataFormatException Fails(string file, params string[] problemParts)
    {
        var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadFolder(temp.Path));
        Assert.Equal(file, e.File);
        Assert.Contains(file, e.Message);
        foreach (var part in problemParts) Assert.Contains(part, e.Message);
        return e;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReadsExactPixelsAndLabels(bool gzip)
    {
        WriteFolder(temp.Path, gzip);
        var split = IdxReader.ReadFolder(temp.Path, name: "toy");
        var train = Assert.IsType<ClassificationDataset>(split.Train);
        var test = Assert.IsType<ClassificationDataset>(split.Test);

        Assert.Equal("toy/train", train.Name);
        Assert.Equal("toy/test", test.Name);
        Assert.Equal([1, 2, 3], train.SampleShape);
        Assert.Equal([1, 2, 3], test.SampleShape);
        Assert.Equal(10, train.ClassCount);
        Assert.Equal(3, train.Count);
        Assert.Equal(2, test.Count);
        Assert.Equal([3, 0, 9], train.Labels);
        Assert.Equal([7, 1], test.Labels);
        Assert.Equal(TrainPixels.Select(b => (float)(b / 255.0)), train.Features);
        Assert.Equal(TestPixels.Select(b => (float)(b / 255.0)), test.Features);
        Assert.Equal(14 * 7 / 255.0, train.Feature(1, 1), 1e-6); // example 1, pixel (0, 1)
    }

    [Fact]
    public void NameDefaultsToTheFolderName()
    {
        WriteFolder(temp.Path);
        var split = IdxReader.ReadFolder(temp.Path + Path.DirectorySeparatorChar);
        Assert.Equal(Path.GetFileName(temp.Path) + "/train", split.Train.Name);
    }

    [Fact]
    public void PrefersTheGzipFileWhenBothExist()
    {
        WriteFolder(temp.Path, gzip: false, trainPixels: [.. Enumerable.Repeat((byte)1, 18)]);
        WriteFolder(temp.Path, gzip: true);
        var train = (ClassificationDataset)IdxReader.ReadFolder(temp.Path, PixelScaling.Raw).Train;
        Assert.Equal(TrainPixels.Select(b => (float)b), train.Features);
    }

    [Fact]
    public void RawScalingKeepsByteValues()
    {
        WriteFolder(temp.Path);
        var split = IdxReader.ReadFolder(temp.Path, PixelScaling.Raw);
        Assert.Equal(TrainPixels.Select(b => (float)b), ((ClassificationDataset)split.Train).Features);
        Assert.Equal(TestPixels.Select(b => (float)b), ((ClassificationDataset)split.Test!).Features);
    }

    [Fact]
    public void StandardizedScalingUsesTrainingStatisticsForBothSets()
    {
        WriteFolder(temp.Path);
        var split = IdxReader.ReadFolder(temp.Path, PixelScaling.Standardized);
        var unit = TrainPixels.Select(b => b / 255.0).ToArray();
        double mean = unit.Average();
        double std = Math.Sqrt(unit.Select(v => (v - mean) * (v - mean)).Average());

        var train = ((ClassificationDataset)split.Train).Features;
        var test = ((ClassificationDataset)split.Test!).Features;
        for (int i = 0; i < train.Length; i++) Assert.Equal((TrainPixels[i] / 255.0 - mean) / std, train[i], 1e-5);
        for (int i = 0; i < test.Length; i++) Assert.Equal((TestPixels[i] / 255.0 - mean) / std, test[i], 1e-5);
        Assert.Equal(0.0, train.Average(f => (double)f), 1e-5);
        Assert.Equal(1.0, Math.Sqrt(train.Average(f => (double)f * f)), 1e-5);
    }

    [Fact]
    public void MissingFile()
    {
        WriteFolder(temp.Path);
        File.Delete(temp.File(IdxReader.TrainLabelsFile + ".gz"));
        Fails(temp.File(IdxReader.TrainLabelsFile + ".gz"), "missing file", IdxReader.TrainLabelsFile);
    }

    [Fact]
    public void MissingFolder()
    {
        string folder = temp.File("absent");
        var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadFolder(folder));
        Assert.Contains(folder, e.Message);
        Assert.Contains("missing file", e.Message);
    }

    [Fact]
    public void WrongMagicNumber()
    {
        WriteFolder(temp.Path);
        string path = temp.File(IdxReader.TestImagesFile + ".gz");
        File.WriteAllBytes(path, Gzip(Idx(IdxReader.LabelsMagic, [2], [1, 2])));
        Fails(path, "wrong magic number 0x00000801", "0x00000803");
    }

    [Fact]
    public void TruncatedPixels()
    {
        WriteFolder(temp.Path);
        string path = temp.File(IdxReader.TrainImagesFile + ".gz");
        File.WriteAllBytes(path, Gzip(Idx(IdxReader.ImagesMagic, [3, 2, 3], TrainPixels[..17])));
        Fails(path, "truncated", "18 bytes", "only 17");
    }

    [Fact]
    public void TruncatedHeader()
    {
        WriteFolder(temp.Path, gzip: false);
        string path = temp.File(IdxReader.TrainLabelsFile);
        File.WriteAllBytes(path, Idx(IdxReader.LabelsMagic, [], [0, 0]));
        Fails(path, "truncated", "header");
    }

    [Fact]
    public void TruncatedLabelsUncompressed()
    {
        WriteFolder(temp.Path, gzip: false);
        string path = temp.File(IdxReader.TestLabelsFile);
        File.WriteAllBytes(path, Idx(IdxReader.LabelsMagic, [2], [7]));
        Fails(path, "truncated", "promises 2 bytes", "only 1");
    }

    [Fact]
    public void ImageLabelCountMismatch()
    {
        WriteFolder(temp.Path, trainLabels: [1, 2]);
        Fails(temp.File(IdxReader.TrainLabelsFile + ".gz"), "count mismatch", "2 labels", "3 images");
    }

    [Fact]
    public void LabelOutOfRange()
    {
        WriteFolder(temp.Path, testLabels: [4, 10]);
        Fails(temp.File(IdxReader.TestLabelsFile + ".gz"), "label 10", "example 1");
    }

    [Fact]
    public void CorruptGzip()
    {
        WriteFolder(temp.Path);
        string path = temp.File(IdxReader.TrainImagesFile + ".gz");
        File.WriteAllBytes(path, [.. Enumerable.Range(0, 100).Select(i => (byte)(i * 37 + 11))]);
        Fails(path, "corrupt gzip");
    }

    [Fact]
    public void CutOffGzipIsReported()
    {
        WriteFolder(temp.Path);
        string path = temp.File(IdxReader.TrainImagesFile + ".gz");
        var full = Gzip(Idx(IdxReader.ImagesMagic, [3, 2, 3], TrainPixels));
        File.WriteAllBytes(path, full[..(full.Length / 2)]);
        var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadFolder(temp.Path));
        Assert.Equal(path, e.File);
        Assert.True(e.Problem.Contains("truncated") || e.Problem.Contains("corrupt gzip"), e.Message);
    }

    [Fact]
    public void TestImagesOfAnotherSize()
    {
        WriteFolder(temp.Path);
        string path = temp.File(IdxReader.TestImagesFile + ".gz");
        File.WriteAllBytes(path, Gzip(Idx(IdxReader.ImagesMagic, [2, 3, 2], TestPixels)));
        Fails(path, "3×2", "2×3");
    }

    [Fact]
    public void ReadsSingleFiles()
    {
        string images = temp.File("images");
        File.WriteAllBytes(images, Idx(IdxReader.ImagesMagic, [3, 2, 3], TrainPixels));
        var (pixels, count, rows, columns) = IdxReader.ReadImages(images);
        Assert.Equal((3, 2, 3), (count, rows, columns));
        Assert.Equal(TrainPixels, pixels);

        string labels = temp.File("labels.GZ");
        File.WriteAllBytes(labels, Gzip(Idx(IdxReader.LabelsMagic, [3], TrainLabels)));
        Assert.Equal(TrainLabels, IdxReader.ReadLabels(labels));
    }
}
