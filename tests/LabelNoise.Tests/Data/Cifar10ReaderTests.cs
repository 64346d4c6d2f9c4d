using LabelNoise.Tests.TestSupport;
using LabelNoise.Data;

namespace LabelNoise.Tests.Data;

public sealed class Cifar10ReaderTests : IDisposable
{
    readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>Pixel j of the record with global number <paramref name="id"/>; channel c gets a different range.</summary>
    static byte Pixel(int id, int j) => (byte)((j / 1024) * 60 + (id * 31 + j * 7) % 50);

    /// <summary>Records numbered <paramref name="firstId"/>…, labelled id % 10.</summary>
    internal static byte[] Records(int firstId, int count)
    {
        var bytes = new byte[count * Cifar10Reader.RecordSize];
        for (int k = 0; k < count; k++)
        {
            int id = firstId + k;
            bytes[k * Cifar10Reader.RecordSize] = (byte)(id % 10);
            for (int j = 0; j < Cifar10Reader.PixelsPerImage; j++) bytes[k * Cifar10Reader.RecordSize + 1 + j] = Pixel(id, j);
        }
        return bytes;
    }

    /// <summary>Batches 1..5 hold 1, 2, 1, 2, 1 records (ids 0..6); the test batch holds ids 100, 101.</summary>
    internal static void WriteFolder(string folder)
    {
        int[] sizes = [1, 2, 1, 2, 1];
        int id = 0;
        for (int b = 0; b < 5; b++)
        {
            File.WriteAllBytes(Path.Combine(folder, Cifar10Reader.TrainFiles[b]), Records(id, sizes[b]));
            id += sizes[b];
        }
        File.WriteAllBytes(Path.Combine(folder, Cifar10Reader.TestFile), Records(100, 2));
    }

    void Fails(string file, params string[] problemParts)
    {
        var e = Assert.Throws<DataFormatException>(() => Cifar10Reader.ReadFolder(temp.Path));
        Assert.Equal(file, e.File);
        Assert.Contains(file, e.Message);
        foreach (var part in problemParts) Assert.Contains(part, e.Message);
    }

    [Fact]
    public void ReadsAllBatchesInOrder()
    {
        WriteFolder(temp.Path);
        var split = Cifar10Reader.ReadFolder(temp.Path, PixelScaling.Raw, "toy");
        var train = Assert.IsType<ClassificationDataset>(split.Train);
        var test = Assert.IsType<ClassificationDataset>(split.Test);

        Assert.Equal("toy/train", train.Name);
        Assert.Equal([3, 32, 32], train.SampleShape);
        Assert.Equal([3, 32, 32], test.SampleShape);
        Assert.Equal(10, train.ClassCount);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], train.Labels);
        Assert.Equal([0, 1], test.Labels);
        for (int id = 0; id < 7; id++)
            for (int j = 0; j < Cifar10Reader.PixelsPerImage; j += 97)
                Assert.Equal(Pixel(id, j), train.Feature(id, j));
        // Channel-major: feature c*1024 + y*32 + x is channel c at row y, column x.
        Assert.Equal(Pixel(101, 2 * 1024 + 5 * 32 + 7), test.Feature(1, 2 * 1024 + 5 * 32 + 7));
    }

    [Fact]
    public void UnitIntervalScaling()
    {
        WriteFolder(temp.Path);
        var test = (ClassificationDataset)Cifar10Reader.ReadFolder(temp.Path).Test!;
        for (int j = 0; j < Cifar10Reader.PixelsPerImage; j++)
            Assert.Equal((float)(Pixel(100, j) / 255.0), test.Features[j]);
    }

    [Fact]
    public void StandardizedScalingIsPerChannelOverTheTrainingSet()
    {
        WriteFolder(temp.Path);
        var split = Cifar10Reader.ReadFolder(temp.Path, PixelScaling.Standardized);
        var train = ((ClassificationDataset)split.Train).Features;
        var test = ((ClassificationDataset)split.Test!).Features;
        for (int c = 0; c < 3; c++)
        {
            var values = Enumerable.Range(0, 7).SelectMany(id => Enumerable.Range(c * 1024, 1024).Select(j => Pixel(id, j) / 255.0)).ToArray();
            double mean = values.Average();
            double std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());

            var scaled = Enumerable.Range(0, 7).SelectMany(id => Enumerable.Range(c * 1024, 1024).Select(j => (double)train[id * 3072 + j])).ToArray();
            Assert.Equal(0.0, scaled.Average(), 1e-5);
            Assert.Equal(1.0, Math.Sqrt(scaled.Select(v => v * v).Average()), 1e-5);
            int probe = c * 1024 + 500;
            Assert.Equal((Pixel(101, probe) / 255.0 - mean) / std, test[3072 + probe], 1e-5);
        }
    }

    [Fact]
    public void MissingFile()
    {
        WriteFolder(temp.Path);
        File.Delete(temp.File("data_batch_4.bin"));
        Fails(temp.File("data_batch_4.bin"), "missing file");
    }

    [Fact]
    public void WrongRecordSize()
    {
        WriteFolder(temp.Path);
        File.WriteAllBytes(temp.File(Cifar10Reader.TestFile), [.. Records(100, 2), 0]);
        Fails(temp.File(Cifar10Reader.TestFile), "wrong record size", "6147 bytes", "3073");
    }

    [Fact]
    public void EmptyBatch()
    {
        WriteFolder(temp.Path);
        File.WriteAllBytes(temp.File("data_batch_2.bin"), []);
        Fails(temp.File("data_batch_2.bin"), "empty file");
    }

    [Fact]
    public void LabelOutOfRange()
    {
        WriteFolder(temp.Path);
        var bytes = Records(0, 3);
        bytes[2 * Cifar10Reader.RecordSize] = 200;
        File.WriteAllBytes(temp.File("data_batch_3.bin"), bytes);
        Fails(temp.File("data_batch_3.bin"), "label 200", "record 2");
    }
}
