using System.IO.Compression;
using LabelNoise.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelNoise.Models;

/// <summary>
/// A user's PyTorch module saved as TorchScript (<c>torch.jit.script(model).save("model.pt")</c> or <c>torch.jit.trace</c>):
/// forward(x) must take one tensor, a batch of examples, and give logits [n, classes] or one value per example. Its parameters
/// keep the module's own names (<see cref="Script"/>'s state dict), its weights are the saved ones, and it trains and is measured
/// like every network here.
/// </summary>
public sealed class TorchScriptModel : nn.Module<Tensor, Tensor>
{
    readonly jit.ScriptModule<Tensor, Tensor> script;

    TorchScriptModel(jit.ScriptModule<Tensor, Tensor> script, string path) : base("torchscript")
    {
        this.script = script;
        Path = path;
        RegisterComponents();
    }

    /// <summary>The file the module was loaded from.</summary>
    public string Path { get; }

    /// <summary>The scripted module itself: its state dict has the names PyTorch gave its parameters.</summary>
    public nn.Module Script => script;

    public override Tensor forward(Tensor input) => script.call(input);

    /// <summary>The scripted module's parameters under its own names (no prefix for this wrapper).</summary>
    public override IEnumerable<(string name, TorchSharp.Modules.Parameter parameter)> named_parameters(bool recurse = true) => script.named_parameters(recurse);

    /// <summary>The scripted module's state dict, under its own names: what PyTorch's load_state_dict on it expects.</summary>
    public override Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null) =>
        script.state_dict(destination, prefix);

    /// <summary>
    /// Disposes the scripted module alone: TorchSharp's Module.Dispose walks named_modules() lazily and would call into the
    /// scripted module after disposing it. This wrapper holds no tensors of its own.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing) script.Dispose();
    }

    /// <summary>Loads <paramref name="path"/>, after checking that it is a TorchScript archive (one sentence if it is not).</summary>
    public static TorchScriptModel Load(string path)
    {
        if (!System.IO.File.Exists(path)) throw new DataFormatException(path, "file not found");
        if (!IsTorchScriptArchive(path))
            throw new DataFormatException(path, "is not a TorchScript file (save the module with torch.jit.script(model).save(path) or torch.jit.trace)");
        try { return new TorchScriptModel(jit.load<Tensor, Tensor>(path), path); }
        catch (Exception e) when (e is not OutOfMemoryException)
        { throw new DataFormatException(path, "could not be loaded as TorchScript (" + DataFormatException.FirstLine(e.Message) + ")"); }
    }

    /// <summary>
    /// Runs forward on two examples of <paramref name="data"/>, so that a module that cannot take them (forward needs other
    /// arguments, the wrong input shape) is one sentence before anything else runs.
    /// </summary>
    public void CheckForward(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int count = Math.Min(2, data.Count);
        using var scope = NewDisposeScope();
        var input = DataTensors.Features(data, parameters().FirstOrDefault()?.dtype ?? ScalarType.Float32, count);
        Tensor output;
        try { using var noGrad = no_grad(); output = forward(input); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new SettingException($"the TorchScript module {Path} cannot run forward(x) on examples of shape [{string.Join(", ", data.SampleShape)}] from {data.Name} "
                + $"(it must take one tensor, a batch): {DataFormatException.FirstLine(e.Message)}");
        }
        OutputShape.Check(output, data, count);
        if (!output.is_floating_point() || !isfinite(output).all().item<bool>())
            throw new SettingException($"the TorchScript module {Path} gives outputs that are not finite numbers on the first examples of {data.Name}");
    }

    /// <summary>Whether the file is a zip archive with TorchScript's code folder (what torch.jit.save writes).</summary>
    static bool IsTorchScriptArchive(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return zip.Entries.Any(e => e.FullName.Contains("/code/", StringComparison.Ordinal) || e.FullName.StartsWith("code/", StringComparison.Ordinal));
        }
        catch (InvalidDataException) { return false; }
    }
}
