using System.Collections;
using System.IO.Compression;
using LabelNoise.Data;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using LabelNoise.Files;

namespace LabelNoise.Models;

/// <summary>A named parameter tensor of a state dict and its shape (PyTorch's order: rows first).</summary>
public sealed record StateDictEntry(string Name, long[] Shape)
{
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>
/// PyTorch state_dict files, as <c>torch.save(model.state_dict(), "model.pt")</c> writes them (the zip
/// format, PyTorch ≥ 1.6), read and written with TorchSharp.PyBridge's pickler. Every model of the zoo has
/// PyTorch's names for its parameters (<c>scripts/pytorch/labelnoise_models.py</c> defines the twins):
/// a network's names are its TorchSharp state-dict names; the hand-written models use those of their
/// autograd twins: <c>theta</c> (linear) and <c>u</c>, <c>v</c> (quadratic), float64. Loading is strict, as
/// PyTorch's <c>load_state_dict</c>: every name present, each with the model's shape, no other name; any
/// floating-point dtype is converted. A file that does not fit is a <see cref="DataFormatException"/>
/// naming the first problem, raised before any tensor of the model is touched.
/// </summary>
public static class PyTorchStateDict
{
    /// <summary>Whether a path names a PyTorch file (*.pt or *.pth).</summary>
    public static bool IsPyTorchFile(string path) =>
        path.EndsWith(".pt", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pth", StringComparison.OrdinalIgnoreCase);

    /// <summary>The names and shapes of a network's state dict, in its order.</summary>
    public static IReadOnlyList<StateDictEntry> Layout(nn.Module network) =>
        network.state_dict().Select(pair => new StateDictEntry(pair.Key, pair.Value.shape)).ToArray();

    /// <summary>The names and shapes under which a hand-written model's flat vector is saved (those of its autograd twin).</summary>
    public static IReadOnlyList<StateDictEntry> HandLayout(string modelName, int parameterCount) => modelName switch
    {
        "linear" => [new("theta", [parameterCount])],
        "quadratic" => [new("u", [parameterCount / 2]), new("v", [parameterCount / 2])],
        _ => throw new ArgumentException($"no state-dict layout for the hand-written model '{modelName}'", nameof(modelName)),
    };

    /// <summary>Loads a state dict into <paramref name="network"/> in place, after checking every name and shape.</summary>
    public static void LoadInto(string path, nn.Module network)
    {
        var layout = Layout(network);
        using var scope = NewDisposeScope();
        var file = Read(path);
        Check(path, file, layout);
        using var noGrad = no_grad();
        var target = network.state_dict();
        foreach (var entry in layout) target[entry.Name].copy_(file[entry.Name].to_type(target[entry.Name].dtype));
    }

    /// <summary>
    /// Reads a hand-written model's flat parameter vector of <paramref name="count"/> numbers: the file's names
    /// say which model it was saved from (theta: linear; u and v: quadratic).
    /// </summary>
    public static double[] ReadFlat(string path, int count)
    {
        using var scope = NewDisposeScope();
        var file = Read(path);
        string model = file.ContainsKey("theta") ? "linear" : file.ContainsKey("u") || file.ContainsKey("v") ? "quadratic"
            : throw new DataFormatException(path, "holds none of the hand-written models' parameters (theta for linear; u and v for quadratic)");
        if (model == "quadratic" && count % 2 != 0)
            throw new DataFormatException(path, $"holds the quadratic model's u and v, but this model has an odd number of parameters ({count})");
        var layout = HandLayout(model, count);
        Check(path, file, layout);
        return layout.SelectMany(entry => file[entry.Name].to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray()).ToArray();
    }

    /// <summary>Writes a network's state dict (whole or not at all).</summary>
    public static void Write(string path, nn.Module network)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Write(path, network.state_dict().ToDictionary(pair => pair.Key, pair => pair.Value.detach().contiguous()));
    }

    /// <summary>Writes a hand-written model's flat vector under its <see cref="HandLayout"/> names, float64.</summary>
    public static void WriteFlat(string path, string modelName, ReadOnlySpan<double> values)
    {
        var layout = HandLayout(modelName, values.Length);
        using var scope = NewDisposeScope();
        var entries = new Dictionary<string, Tensor>();
        int offset = 0;
        foreach (var entry in layout)
        {
            entries[entry.Name] = tensor(values.Slice(offset, (int)entry.Count).ToArray(), entry.Shape, ScalarType.Float64);
            offset += (int)entry.Count;
        }
        Write(path, entries);
    }

    static void Write(string path, Dictionary<string, Tensor> entries)
    {
        var ordered = new System.Collections.Specialized.OrderedDictionary(); // torch.load gives the names in the model's order
        foreach (var (name, value) in entries) ordered[name] = value;
        AtomicFile.Write(path, temporary => PyTorchPickler.PickleStateDict(temporary, ordered));
    }

    /// <summary>The file's name → tensor map, or one sentence on why it is not a state dict of plain tensors.</summary>
    static Dictionary<string, Tensor> Read(string path)
    {
        var table = PyTorchFile.ReadDict(path, "a PyTorch state_dict",
            "holds a Python object that is not a state_dict (save model.state_dict(), not the model or a tensor)");
        var result = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry pair in table)
        {
            if (pair.Key is not string name) throw new DataFormatException(path, $"has a key that is not a string ({pair.Key})");
            if (pair.Value is not Tensor value) throw new DataFormatException(path, $"holds '{name}' as a {PythonKind(pair.Value)}, not a tensor: it is not a state_dict");
            if (!value.is_floating_point()) throw new DataFormatException(path, $"holds '{name}' as {value.dtype} numbers, not floating point");
            result[name] = value;
        }
        return result;
    }

    static void Check(string path, Dictionary<string, Tensor> file, IReadOnlyList<StateDictEntry> layout)
    {
        foreach (var entry in layout)
        {
            if (!file.TryGetValue(entry.Name, out var value))
                throw new DataFormatException(path, $"has no parameter '{entry.Name}' (the model's names: {Names(layout)})");
            if (!value.shape.SequenceEqual(entry.Shape))
                throw new DataFormatException(path, $"has '{entry.Name}' of shape {Shape(value.shape)}, but the model's is {Shape(entry.Shape)}");
        }
        var known = layout.Select(e => e.Name).ToHashSet();
        if (file.Keys.Where(name => !known.Contains(name)).Order(StringComparer.Ordinal).FirstOrDefault() is { } extra)
            throw new DataFormatException(path, $"holds '{extra}', which the model does not have (the model's names: {Names(layout)})");
    }

    static string Names(IReadOnlyList<StateDictEntry> layout) =>
        layout.Count <= 6 ? string.Join(", ", layout.Select(e => e.Name)) : string.Join(", ", layout.Take(4).Select(e => e.Name)) + $", … {layout.Count} in all";

    static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";

    static string PythonKind(object? value) => value switch
    {
        null => "None",
        int or long => "int",
        double or float => "float",
        string => "str",
        IDictionary => "dict",
        IList => "list",
        _ => value.GetType().Name,
    };

}
