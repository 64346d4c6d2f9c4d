using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Files;

namespace LabelNoise.Training;

/// <summary>DIR/config.json: the effective configuration of a run and the versions that ran it.</summary>
public static class RunConfigFile
{
    public const string FileName = "config.json";
    static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <param name="gradientCheck">What the gradient self-check found for the run's model (autograd models only).</param>
    public static void Write(string runFolder, TrainingConfig config, GradientCheck? gradientCheck = null)
    {
        var document = new JsonObject
        {
            ["config"] = JsonSerializer.SerializeToNode(config, Options),
            ["versions"] = Versions(),
        };
        if (gradientCheck is not null) document["gradient_check"] = gradientCheck.ToJson();
        AtomicFile.WriteAllText(Path.Combine(runFolder, FileName), document.ToJsonString(Options) + "\n");
    }

    public static TrainingConfig Read(string runFolder)
    {
        var path = Path.Combine(runFolder, FileName);
        if (!File.Exists(path)) throw new DataFormatException(path, "not found: is this a run folder?");
        TrainingConfig config;
        try
        {
            var node = JsonNode.Parse(File.ReadAllText(path))?["config"];
            config = node?.Deserialize<TrainingConfig>(Options) ?? throw new DataFormatException(path, "has no \"config\" object");
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException) // a duplicate key is an ArgumentException
        {
            throw new DataFormatException(path, "is not a valid run configuration (" + DataFormatException.JsonProblem(e) + ")");
        }
        foreach (var (name, value) in new[] { ("Model", config.Model), ("Data", config.Data), ("Noise", config.Noise), ("Scaling", config.Scaling), ("Backend", config.Backend) })
            if (value is null) throw new DataFormatException(path, $"gives no value for {name}");
        return config;
    }

    public static JsonObject Versions() => new()
    {
        ["labelnoise"] = typeof(RunConfigFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown",
        ["libtorch"] = TorchSharp.torch.__version__,
        ["blas"] = LabelNoise.Native.BlasPreload.Outcome,
        ["onednn"] = LabelNoise.Native.OneDnn.Outcome,
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
        ["os"] = RuntimeInformation.OSDescription,
        ["processors"] = Environment.ProcessorCount,
    };
}
