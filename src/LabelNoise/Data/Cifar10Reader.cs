namespace LabelNoise.Data;

/// <summary>
/// Reads the binary version of CIFAR-10: <c>data_batch_1.bin</c> … <c>data_batch_5.bin</c> (training,
/// concatenated in that order) and <c>test_batch.bin</c>; each record is one label byte then
/// 3072 pixel bytes, channel-major (red, green, blue planes of 32×32).
/// </summary>
public static class Cifar10Reader
{
    public const int Channels = 3;
    public const int Side = 32;
    public const int PixelsPerImage = Channels * Side * Side;
    public const int RecordSize = 1 + PixelsPerImage;
    public const int ClassCount = 10;
    public const string TestFile = "test_batch.bin";

    /// <summary>The five training batch names, in reading order.</summary>
    public static IReadOnlyList<string> TrainFiles { get; } = [.. Enumerable.Range(1, 5).Select(k => $"data_batch_{k}.bin")];

    /// <summary>
    /// The training and test sets in <paramref name="folder"/>, shaped [3, 32, 32] with 10 classes,
    /// named <c>NAME/train</c> and <c>NAME/test</c> (NAME defaults to the folder's name).
    /// </summary>
    public static DataSplit ReadFolder(string folder, PixelScaling scaling = PixelScaling.UnitInterval, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        name ??= Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        var paths = TrainFiles.Append(TestFile).Select(f => Path.Combine(folder, f)).ToArray();
        foreach (var path in paths)
            if (!File.Exists(path)) throw new DataFormatException(path, "missing file");

        var batches = paths[..^1].Select(ReadBatch).ToArray();
        var trainPixels = Concatenate(batches.Select(b => b.Pixels));
        var trainLabels = Concatenate(batches.Select(b => b.Labels));
        var test = ReadBatch(paths[^1]);

        const int perChannel = Side * Side;
        (double[] Mean, double[] Std)? statistics = scaling == PixelScaling.Standardized ? PixelScaler.Statistics(trainPixels, Channels, perChannel) : null;
        int[] shape = [Channels, Side, Side];
        return new DataSplit(
            new ClassificationDataset($"{name}/train", shape, PixelScaler.Scale(trainPixels, Channels, perChannel, scaling, statistics),
                IdxReader.ToInts(trainLabels), ClassCount),
            new ClassificationDataset($"{name}/test", shape, PixelScaler.Scale(test.Pixels, Channels, perChannel, scaling, statistics),
                IdxReader.ToInts(test.Labels), ClassCount));
    }

    /// <summary>The pixel bytes (image-major, then channel-major) and labels of one batch file.</summary>
    public static (byte[] Pixels, byte[] Labels) ReadBatch(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, "missing file");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0) throw new DataFormatException(path, "empty file: it holds no records");
        if (bytes.Length % RecordSize != 0)
            throw new DataFormatException(path,
                $"wrong record size: {bytes.Length} bytes is not a whole number of {RecordSize}-byte records (1 label + {PixelsPerImage} pixels)");

        int count = bytes.Length / RecordSize;
        var pixels = new byte[count * PixelsPerImage];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            byte label = bytes[i * RecordSize];
            if (label >= ClassCount)
                throw new DataFormatException(path, $"label {label} of record {i} is not in 0..{ClassCount - 1}");
            labels[i] = label;
            Array.Copy(bytes, i * RecordSize + 1, pixels, i * PixelsPerImage, PixelsPerImage);
        }
        return (pixels, labels);
    }

    static byte[] Concatenate(IEnumerable<byte[]> parts)
    {
        var list = parts.ToList();
        var result = new byte[list.Sum(p => (long)p.Length)];
        long offset = 0;
        foreach (var part in list) { Array.Copy(part, 0, result, offset, part.Length); offset += part.Length; }
        return result;
    }
}
