using LabelNoise.Models;
using TorchSharp;
using LabelNoise.Tests.TestSupport;
using Xunit.Abstractions;
using LabelNoise.Randomness;

namespace LabelNoise.Tests.Models;

/// <summary>
/// Random damage to valid flat parameter files and TorchSharp state dicts: every case ends in parameters or in one
/// DataFormatException sentence, within its time limit — and never reaches TorchSharp with sizes it would trust.
/// </summary>
public sealed class ParameterFuzzTests(ITestOutputHelper output) : IDisposable
{
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void DamagedParameterFilesGiveParametersOrOneSentence()
    {
        var values = TestData.Gaussian(24, 3);
        var path = temp.File("params.txt");
        ParameterFile.Write(path, values);
        var valid = File.ReadAllBytes(path);
        Assert.Equal(values, ParameterFile.Read(path, values.Length));
        var mutator = new FileMutator(21, [0, 5, 40], text: true);
        var run = new FuzzRun("parameter file", Limit);
        for (int i = 0; i < 600; i++)
        {
            var (bytes, kind) = mutator.Next(valid);
            File.WriteAllBytes(path, bytes);
            run.Case(kind, () => Assert.Equal(values.Length, ParameterSource.Load(path, values.Length, network: null)!.Length));
        }
        output.WriteLine(run.Summary());
        run.AssertClean();
    }

    static Mlp Network()
    {
        var network = new Mlp(4, [3], 2, Activation.Relu);
        ParameterInitializer.Initialize(network, new RandomStream(1));
        return network;
    }

    [Fact]
    public void DamagedStateDictsLoadOrGiveOneSentence()
    {
        using var network = Network();
        var path = temp.File("model.dat");
        network.save(path);
        var valid = File.ReadAllBytes(path);
        var expected = FlatParameters.Read(network.parameters().ToArray());
        using var target = new Mlp(4, [3], 2, Activation.Relu);
        Assert.Null(ParameterSource.Load(path, expected.Length, target));
        Assert.Equal(expected, FlatParameters.Read(target.parameters().ToArray()));

        // The size fields: the entry count, then each name's length prefix and each tensor's dtype, rank and dimensions.
        var fields = new List<int> { 0 };
        int offset = 1;
        foreach (var (name, tensor) in network.state_dict())
        {
            fields.Add(offset);
            offset += 1 + System.Text.Encoding.UTF8.GetByteCount(name);
            fields.Add(offset);
            offset += 2;
            fields.Add(offset - 1);
            fields.Add(offset);
            offset += tensor.shape.Length + (int)(tensor.numel() * tensor.ElementSize);
        }
        Assert.Equal(valid.Length, offset); // the layout above is the file's (every field one byte here)

        var mutator = new FileMutator(22, fields);
        var run = new FuzzRun("state dict (*.dat)", Limit);
        for (int i = 0; i < 800; i++)
        {
            var (bytes, kind) = mutator.Next(valid);
            File.WriteAllBytes(path, bytes);
            run.Case(kind, () => Assert.Null(ParameterSource.Load(path, expected.Length, target)));
        }
        output.WriteLine(run.Summary());
        run.AssertClean();
    }

    [Fact]
    public void StateDictMismatchesAreNamed()
    {
        using var network = Network();
        var path = temp.File("model.dat");
        network.save(path);
        var valid = File.ReadAllBytes(path);

        using (var wider = new Mlp(4, [5], 2, Activation.Relu))
            Assert.Contains("tensor 'layers.linear0.weight' has shape [3, 4] but the model's is [5, 4]", Fails(wider));
        using (var deeper = new Mlp(4, [3, 3], 2, Activation.Relu))
            Assert.Contains("holds 4 tensors but the model has 6", Fails(deeper));
        using (var float64 = Network())
        {
            float64.to(TorchSharp.torch.ScalarType.Float64);
            Assert.Contains("has dtype code 6 but the model's is Float64 (7)", Fails(float64));
        }
        File.WriteAllBytes(path, [.. valid, 0]);
        Assert.Contains("1 bytes follow the last tensor", Fails(network));
        File.WriteAllBytes(path, valid[..^3]);
        Assert.Contains("the file ends inside the data of", Fails(network));
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]);
        Assert.Contains("the entry count is not a valid size", Fails(network));

        string Fails(Mlp model)
        {
            var e = Assert.Throws<LabelNoise.Data.DataFormatException>(() => StateDictValidator.Validate(path, model));
            Assert.StartsWith(path + ": ", e.Message);
            return e.Message;
        }
    }
}
