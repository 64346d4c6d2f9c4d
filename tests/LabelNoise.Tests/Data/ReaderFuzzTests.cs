using System.Globalization;
using System.IO.Compression;
using LabelNoise.Data;
using LabelNoise.Tests.TestSupport;
using Xunit.Abstractions;

namespace LabelNoise.Tests.Data;

/// <summary>
/// Random damage to valid small IDX, CIFAR-10 and CSV files: every case ends in a data set or in one
/// <see cref="DataFormatException"/> sentence (which the command line prints with exit code 2), within its time limit.
/// </summary>
public sealed class ReaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>Damages one file of a folder per case (the others stay valid), reads the folder, puts the file back.</summary>
    static void FuzzFolder(FuzzRun run, string folder, string[] files, int cases, int seed, IReadOnlyList<int> headerFields,
        Action read, Func<byte[], byte[]>? decode = null, Func<byte[], byte[]>? encode = null)
    {
        var valid = files.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(folder, f)));
        var mutator = new FileMutator(seed, headerFields);
        var choice = new Random(seed + 1);
        read(); // the undamaged folder reads
        for (int i = 0; i < cases; i++)
        {
            var file = files[choice.Next(files.Length)];
            var path = Path.Combine(folder, file);
            // Half the gzip cases damage the compressed bytes, half the content (so that header fields are hit).
            bool inside = decode is not null && choice.Next(2) == 0;
            var (bytes, kind) = mutator.Next(inside ? decode!(valid[file]) : valid[file]);
            File.WriteAllBytes(path, inside ? encode!(bytes) : bytes);
            run.Case(inside ? kind + " (gzip content)" : kind, read);
            File.WriteAllBytes(path, valid[file]);
        }
    }

    static byte[] Gunzip(byte[] bytes)
    {
        using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var result = new MemoryStream();
        input.CopyTo(result);
        return result.ToArray();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void DamagedIdxFilesGiveADataSetOrOneSentence(bool gzip)
    {
        IdxReaderTests.WriteFolder(temp.Path, gzip);
        string[] files = [.. new[] { IdxReader.TrainImagesFile, IdxReader.TrainLabelsFile, IdxReader.TestImagesFile, IdxReader.TestLabelsFile }
            .Select(f => gzip ? f + ".gz" : f)];
        var run = new FuzzRun(gzip ? "IDX (gzip)" : "IDX", Limit);
        FuzzFolder(run, temp.Path, files, 500, gzip ? 11 : 12, [0, 4, 8, 12], () => IdxReader.ReadFolder(temp.Path),
            gzip ? Gunzip : null, gzip ? IdxReaderTests.Gzip : null);
        output.WriteLine(run.Summary());
        run.AssertClean();
        Assert.True(run.Outcomes.Keys.Count(o => o.Contains("promises")) > 0, "the huge header fields must reach the size check");
    }

    [Fact]
    public void AHeaderPromisingGigabytesIsRefusedWithoutAllocatingThem()
    {
        // 10⁹ images of 1×1 pixels promised by a 20-byte file, plain and gzipped.
        foreach (bool gzip in new[] { false, true })
        {
            using var folder = new TempFolder();
            IdxReaderTests.WriteFolder(folder.Path, gzip);
            var header = IdxReaderTests.Idx(IdxReader.ImagesMagic, [1_000_000_000, 1, 1], [1, 2, 3, 4]);
            var path = folder.File(IdxReader.TrainImagesFile + (gzip ? ".gz" : ""));
            File.WriteAllBytes(path, gzip ? IdxReaderTests.Gzip(header) : header);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Contains("promises 1000000000 bytes of images but only 4 follow", e.Message);
            Assert.True(allocated < 16 << 20, $"{allocated:N0} bytes allocated to refuse a 20-byte file");
        }
    }

    [Fact]
    public void DamagedCifarBatchesGiveADataSetOrOneSentence()
    {
        Cifar10ReaderTests.WriteFolder(temp.Path);
        var run = new FuzzRun("CIFAR-10", Limit);
        FuzzFolder(run, temp.Path, [.. Cifar10Reader.TrainFiles, Cifar10Reader.TestFile], 400, 13, [0, Cifar10Reader.RecordSize],
            () => Cifar10Reader.ReadFolder(temp.Path));
        output.WriteLine(run.Summary());
        run.AssertClean();
    }

    [Fact]
    public void DamagedCsvFilesGiveADataSetOrOneSentence()
    {
        var lines = new List<string> { "x1,x2,x3,y" };
        var generator = new Random(5);
        for (int i = 0; i < 12; i++)
            lines.Add(string.Join(",", Enumerable.Range(0, 4).Select(_ => (generator.NextDouble() * 20 - 10).ToString("R", CultureInfo.InvariantCulture))));
        var valid = System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
        var path = temp.File("data.csv");
        var mutator = new FileMutator(14, [0, 3, 11, 20], text: true);
        var run = new FuzzRun("CSV", Limit);
        File.WriteAllBytes(path, valid);
        Assert.Equal(12, CsvRegressionReader.Read(path).Count);
        for (int i = 0; i < 800; i++)
        {
            var (bytes, kind) = mutator.Next(valid);
            File.WriteAllBytes(path, bytes);
            run.Case(kind, () =>
            {
                var data = CsvRegressionReader.Read(path);
                // A result is a well-formed data set: finite numbers, one target per row.
                Assert.Equal(data.Count * data.FeatureCount, data.Features.Length);
                Assert.All(data.Targets, t => Assert.True(double.IsFinite(t)));
            });
        }
        output.WriteLine(run.Summary());
        run.AssertClean();
    }
}
