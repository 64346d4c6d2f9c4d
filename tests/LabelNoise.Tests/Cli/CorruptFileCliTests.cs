using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Tests.Data;
using LabelNoise.Tests.TestSupport;

namespace LabelNoise.Tests.Cli;

/// <summary>
/// End to end, a damaged file of each kind the readers take (IDX, CIFAR-10, CSV, parameter file, state dict): the
/// program exits with code 2 and one line on standard error naming the file, prints no stack trace and leaves no run folder.
/// </summary>
public class CorruptFileCliTests
{
    static void AssertOneSentence((int ExitCode, string Output, string Error) result, string file, string fragment)
    {
        Assert.True(result.ExitCode == 2, $"exit code {result.ExitCode}: {result.Error}");
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(file, line);
        Assert.Contains(fragment, line);
        Assert.DoesNotContain("Exception", line);
    }

    static string[] Train(string data, string run, params string[] extra) =>
        ["train", "--model", "mlp:4", "--data", data, "--steps", "2", "--batch", "2", "--out", run, .. extra];

    [Fact]
    public void AnIdxHeaderPromisingGigabytes()
    {
        using var folder = new TempFolder();
        IdxReaderTests.WriteFolder(folder.Path);
        var images = folder.File(IdxReader.TrainImagesFile + ".gz");
        File.WriteAllBytes(images, IdxReaderTests.Gzip(IdxReaderTests.Idx(IdxReader.ImagesMagic, [1_000_000_000, 1, 1], [1, 2, 3])));
        AssertOneSentence(CliProcess.Run(Train("mnist:" + folder.Path, folder.File("run"))), images, "promises 1000000000 bytes of images but only 3 follow");
        Assert.False(Directory.Exists(folder.File("run")));
    }

    [Fact]
    public void AnIdxFileWhoseGzipIsDamaged()
    {
        using var folder = new TempFolder();
        IdxReaderTests.WriteFolder(folder.Path);
        var labels = folder.File(IdxReader.TrainLabelsFile + ".gz");
        var bytes = File.ReadAllBytes(labels);
        for (int i = 10; i < bytes.Length - 8; i++) bytes[i] ^= 0x5A; // the deflate stream, not the gzip header
        File.WriteAllBytes(labels, bytes);
        AssertOneSentence(CliProcess.Run(Train("mnist:" + folder.Path, folder.File("run"))), labels, "gzip");
        Assert.False(Directory.Exists(folder.File("run")));
    }

    [Fact]
    public void ACifarBatchCutShort()
    {
        using var folder = new TempFolder();
        Cifar10ReaderTests.WriteFolder(folder.Path);
        var test = folder.File(Cifar10Reader.TestFile);
        File.WriteAllBytes(test, File.ReadAllBytes(test)[..^100]);
        AssertOneSentence(CliProcess.Run(Train("cifar10:" + folder.Path, folder.File("run"))), test, "is not a whole number of 3073-byte records");
        Assert.False(Directory.Exists(folder.File("run")));
    }

    [Fact]
    public void ACsvWithBinaryGarbageInACell()
    {
        using var folder = new TempFolder();
        var csv = folder.File("data.csv");
        File.WriteAllBytes(csv, [.. "x,y\n1,2\n3,"u8, 0xFF, 0x00, 0x07, .. "\n5,6\n"u8]);
        var result = CliProcess.Run("train", "--model", "linear", "--data", csv, "--steps", "2", "--out", folder.File("run"));
        AssertOneSentence(result, csv, "line 3, column 2");
        Assert.False(Directory.Exists(folder.File("run")));
    }

    [Fact]
    public void AParameterFileWithALineThatIsNotANumber()
    {
        using var folder = new TempFolder();
        var parameters = folder.File("theta.txt");
        File.WriteAllText(parameters, "0.5\n1.5\n0x1F\n");
        var result = CliProcess.Run("measure", "--model", "linear", "--data", "sparse:d=3,n=4,r=1,seed=1", "--params", parameters,
            "--eta", "0.1", "--sigma", "1", "--batch", "1", "--exact", "--json");
        AssertOneSentence(result, parameters, "line 3 is not a number");
        Assert.Equal("", result.Output);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void AParameterFileWithANonFiniteLineStartsNoRun(string token)
    {
        using var folder = new TempFolder();
        var parameters = folder.File("theta.txt");
        File.WriteAllText(parameters, $"0.5\n{token}\n1.5\n");
        var result = CliProcess.Run("train", "--model", "linear", "--data", "sparse:d=3,n=4,r=1,seed=1", "--noise", "pm:1", "--lr", "0.01",
            "--steps", "2", "--batch", "1", "--init", parameters, "--out", folder.File("run"));
        AssertOneSentence(result, parameters, $"line 2 is not a finite number ('{token}')");
        Assert.False(File.Exists(Path.Combine(folder.File("run"), "config.json")));
    }

    [Fact]
    public void AStateDictWhoseEntryCountIsHuge()
    {
        using var folder = new TempFolder();
        IdxReaderTests.WriteFolder(folder.Path);
        var model = folder.File("model.dat");
        using (var network = new Mlp(6, [4], 10, Activation.Relu)) network.save(model);
        var bytes = File.ReadAllBytes(model);
        File.WriteAllBytes(model, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, .. bytes[1..]]);
        AssertOneSentence(CliProcess.Run(Train("mnist:" + folder.Path, folder.File("run"), "--init", model)), model, "holds 4294967295 tensors but the model has 4");
        Assert.False(Directory.Exists(folder.File("run")));
    }
}
