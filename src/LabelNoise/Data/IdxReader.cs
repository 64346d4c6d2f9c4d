using System.Buffers.Binary;
using System.IO.Compression;

namespace LabelNoise.Data;

/// <summary>How image readers turn pixel bytes into features.</summary>
public enum PixelScaling
{
    /// <summary>byte / 255, in [0, 1].</summary>
    UnitInterval,

    /// <summary>(byte / 255 − mean) / std, with mean and std per channel over the training set's pixels.</summary>
    Standardized,

    /// <summary>The byte value, in [0, 255].</summary>
    Raw,
}

/// <summary>
/// Reads MNIST-style IDX files (as shipped for MNIST and Fashion-MNIST): each of the four files is
/// read from <c>NAME.gz</c> (gzip) when that exists, otherwise from <c>NAME</c> uncompressed.
/// </summary>
public static class IdxReader
{
    public const string TrainImagesFile = "train-images-idx3-ubyte";
    public const string TrainLabelsFile = "train-labels-idx1-ubyte";
    public const string TestImagesFile = "t10k-images-idx3-ubyte";
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte";

    /// <summary>Magic number of an IDX file of unsigned bytes with 3 dimensions (images).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an IDX file of unsigned bytes with 1 dimension (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    public const int ClassCount = 10;

    /// <summary>
    /// The training and test sets in <paramref name="folder"/>, shaped [1, rows, cols] with 10 classes,
    /// named <c>NAME/train</c> and <c>NAME/test</c> (NAME defaults to the folder's name).
    /// </summary>
    public static DataSplit ReadFolder(string folder, PixelScaling scaling = PixelScaling.UnitInterval, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        name ??= Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));

        string trainImagesPath = Locate(folder, TrainImagesFile);
        string trainLabelsPath = Locate(folder, TrainLabelsFile);
        string testImagesPath = Locate(folder, TestImagesFile);
        string testLabelsPath = Locate(folder, TestLabelsFile);

        var train = ReadImages(trainImagesPath);
        var trainLabels = ReadLabels(trainLabelsPath);
        CheckLabels(trainLabelsPath, trainLabels, train.Count, trainImagesPath);
        var test = ReadImages(testImagesPath);
        var testLabels = ReadLabels(testLabelsPath);
        CheckLabels(testLabelsPath, testLabels, test.Count, testImagesPath);
        if (test.Rows != train.Rows || test.Columns != train.Columns)
            throw new DataFormatException(testImagesPath,
                $"images are {test.Rows}×{test.Columns} but the training images in {trainImagesPath} are {train.Rows}×{train.Columns}");

        int pixelsPerImage = train.Rows * train.Columns;
        (double[] Mean, double[] Std)? statistics = scaling == PixelScaling.Standardized ? PixelScaler.Statistics(train.Pixels, 1, pixelsPerImage) : null;
        int[] shape = [1, train.Rows, train.Columns];
        return new DataSplit(
            new ClassificationDataset($"{name}/train", shape, PixelScaler.Scale(train.Pixels, 1, pixelsPerImage, scaling, statistics),
                ToInts(trainLabels), ClassCount),
            new ClassificationDataset($"{name}/test", shape, PixelScaler.Scale(test.Pixels, 1, pixelsPerImage, scaling, statistics),
                ToInts(testLabels), ClassCount));
    }

    /// <summary>
    /// <c>FOLDER/BASE.gz</c> if it exists, else <c>FOLDER/BASE</c> if it exists; otherwise a "missing file" error.
    /// </summary>
    public static string Locate(string folder, string baseName)
    {
        string plain = Path.Combine(folder, baseName);
        string gz = plain + ".gz";
        if (File.Exists(gz)) return gz;
        if (File.Exists(plain)) return plain;
        throw new DataFormatException(gz, $"missing file (nor is there an uncompressed {baseName})");
    }

    /// <summary>The pixels (image-major, row-major) of an images file; gzip when the name ends in .gz.</summary>
    public static (byte[] Pixels, int Count, int Rows, int Columns) ReadImages(string path)
    {
        var (dims, data) = Read(path, ImagesMagic, 3, "images");
        return (data, dims[0], dims[1], dims[2]);
    }

    /// <summary>The labels of a labels file; gzip when the name ends in .gz.</summary>
    public static byte[] ReadLabels(string path) => Read(path, LabelsMagic, 1, "labels").Data;

    static (int[] Dims, byte[] Data) Read(string path, int magic, int rank, string what)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, "missing file");
        try
        {
            using var file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                ? new GZipStream(file, CompressionMode.Decompress)
                : file;

            var header = new byte[4 + 4 * rank];
            int got = ReadFully(stream, header);
            if (got < 4)
                throw new DataFormatException(path, $"truncated data: the file holds {got} bytes, fewer than the 4-byte magic number");
            int found = BinaryPrimitives.ReadInt32BigEndian(header);
            if (found != magic)
                throw new DataFormatException(path, $"wrong magic number 0x{found:X8}, expected 0x{magic:X8} for IDX {what}");
            if (got < header.Length)
                throw new DataFormatException(path, $"truncated data: the header needs {header.Length} bytes but the file holds {got}");

            var dims = new int[rank];
            long size = 1;
            for (int k = 0; k < rank; k++)
            {
                dims[k] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 + 4 * k));
                if (dims[k] < 0 || (k > 0 && dims[k] == 0))
                    throw new DataFormatException(path, $"dimension {k} of the header is {dims[k]}");
                size *= dims[k];
                if (size > Array.MaxLength)
                    throw new DataFormatException(path, $"the header promises more than {Array.MaxLength} bytes of {what}");
            }

            var data = ReadBody(stream, (int)size, out long available);
            if (data is null)
                throw new DataFormatException(path,
                    $"truncated data: the header [{string.Join("×", dims)}] promises {size} bytes of {what} but only {available} follow");
            return (dims, data);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, $"corrupt gzip data ({e.Message.TrimEnd('.')})");
        }
    }

    static void CheckLabels(string labelsPath, byte[] labels, int imageCount, string imagesPath)
    {
        if (labels.Length != imageCount)
            throw new DataFormatException(labelsPath,
                $"image/label count mismatch: {labels.Length} labels but {imageCount} images in {imagesPath}");
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] >= ClassCount)
                throw new DataFormatException(labelsPath, $"label {labels[i]} of example {i} is not in 0..{ClassCount - 1}");
    }

    /// <summary>
    /// The next <paramref name="size"/> bytes, or null (with how many there were) when the stream ends first. Memory
    /// grows with the bytes actually read, not with the size a header promises: a damaged header can promise gigabytes.
    /// </summary>
    static byte[]? ReadBody(Stream stream, int size, out long available)
    {
        const int Chunk = 1 << 20;
        if (stream.CanSeek && stream.Length - stream.Position < size)
        {
            available = stream.Length - stream.Position;
            return null;
        }
        if (stream.CanSeek || size <= Chunk)
        {
            var whole = new byte[size];
            available = ReadFully(stream, whole);
            return available < size ? null : whole;
        }
        var chunks = new List<byte[]>();
        available = 0;
        while (available < size)
        {
            var chunk = new byte[Math.Min(Chunk, size - available)];
            int got = ReadFully(stream, chunk);
            available += got;
            if (got < chunk.Length) return null; // ReadFully stops only at the end of the stream
            chunks.Add(chunk);
        }
        var data = new byte[size];
        int offset = 0;
        foreach (var chunk in chunks) { chunk.CopyTo(data, offset); offset += chunk.Length; }
        return data;
    }

    static int ReadFully(Stream stream, byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer, total, buffer.Length - total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    internal static int[] ToInts(byte[] labels)
    {
        var result = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++) result[i] = labels[i];
        return result;
    }
}

/// <summary>Pixel statistics and scaling shared by the image readers.</summary>
internal static class PixelScaler
{
    /// <summary>Mean and (population) std per channel of byte/255, for pixels laid out [image][channel][pixel].</summary>
    public static (double[] Mean, double[] Std) Statistics(byte[] pixels, int channels, int pixelsPerChannel)
    {
        var histogram = new long[channels * 256];
        int perImage = channels * pixelsPerChannel;
        for (int start = 0; start < pixels.Length; start += perImage)
            for (int c = 0; c < channels; c++)
            {
                int offset = c * 256;
                var span = pixels.AsSpan(start + c * pixelsPerChannel, pixelsPerChannel);
                foreach (byte b in span) histogram[offset + b]++;
            }

        var mean = new double[channels];
        var std = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            long count = 0;
            double sum = 0;
            for (int v = 0; v < 256; v++) { count += histogram[c * 256 + v]; sum += histogram[c * 256 + v] * (v / 255.0); }
            if (count == 0) { mean[c] = 0; std[c] = 1; continue; }
            mean[c] = sum / count;
            double squares = 0;
            for (int v = 0; v < 256; v++) { double d = v / 255.0 - mean[c]; squares += histogram[c * 256 + v] * d * d; }
            std[c] = Math.Sqrt(squares / count);
            if (std[c] == 0) std[c] = 1; // constant pixels: only centre them
        }
        return (mean, std);
    }

    /// <summary>The pixels as features, scaled per <paramref name="scaling"/> (statistics needed for Standardized).</summary>
    public static float[] Scale(byte[] pixels, int channels, int pixelsPerChannel, PixelScaling scaling, (double[] Mean, double[] Std)? statistics)
    {
        var tables = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            tables[c] = new float[256];
            for (int v = 0; v < 256; v++)
                tables[c][v] = scaling switch
                {
                    PixelScaling.UnitInterval => (float)(v / 255.0),
                    PixelScaling.Raw => v,
                    PixelScaling.Standardized => (float)((v / 255.0 - statistics!.Value.Mean[c]) / statistics.Value.Std[c]),
                    _ => throw new ArgumentOutOfRangeException(nameof(scaling), scaling, "unknown pixel scaling"),
                };
        }

        var features = new float[pixels.Length];
        int perImage = channels * pixelsPerChannel;
        for (int start = 0; start < pixels.Length; start += perImage)
            for (int c = 0; c < channels; c++)
            {
                var table = tables[c];
                int from = start + c * pixelsPerChannel;
                for (int i = from; i < from + pixelsPerChannel; i++) features[i] = table[pixels[i]];
            }
        return features;
    }
}
