using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabelNoise.Data;

namespace LabelNoise.Training;

/// <summary>What a checkpoint holds besides the learner's own files: where the run stands.</summary>
public sealed record CheckpointState(
    long Step,
    ulong[] SamplerState,
    ulong[] NoiseState,
    double ElapsedSeconds,
    double BatchLossSum,
    long BatchLossCount);

/// <summary>
/// Checkpoints in DIR/checkpoint/: written whole into a temporary folder, then swapped in by
/// renames, so that a run killed at any instant (kill -9 included) leaves the previous complete
/// checkpoint or the new one, never a mixture; a write that fails (a full disk) leaves the previous one.
/// state.json holds the <see cref="CheckpointState"/> and what the run was: its configuration (all but
/// the step count, which --resume may change), its parameter count, the fingerprint of its training
/// data and a SHA-256 of every other file, and a checksum of itself. <see cref="Verify"/> checks all of
/// it before a resume touches anything, so a checkpoint of another model, other data or other options,
/// or one edited, truncated or missing a file, is refused with one sentence.
/// </summary>
public static class Checkpoint
{
    public const string FolderName = Models.ParameterSource.CheckpointFolder;
    public const string StateFile = "state.json";
    static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static string FolderOf(string runFolder) => Path.Combine(runFolder, FolderName);

    public static void Save(string runFolder, CheckpointState state, TrainingSession session)
    {
        string final = FolderOf(runFolder), previous = final + ".old";
        string temporary = $"{final}.tmp-{Environment.ProcessId}";
        try
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, true);
            Directory.CreateDirectory(temporary);
            session.Learner.SaveState(temporary);
            var document = JsonSerializer.SerializeToNode(state, Compact)!.AsObject();
            document["Run"] = RunIdentity(session);
            var files = new JsonObject();
            foreach (var file in Directory.GetFiles(temporary).Order(StringComparer.Ordinal))
                files[Path.GetFileName(file)] = FileHash(file);
            document["Files"] = files;
            document["Checksum"] = Checksum(document);
            File.WriteAllText(Path.Combine(temporary, StateFile), document.ToJsonString(Compact));
        }
        catch (IOException e)
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, true);
            string kept = Exists(runFolder) ? "the previous checkpoint is kept" : "there is no earlier checkpoint";
            throw new IOException($"the checkpoint of step {state.Step} could not be written to {final} ({e.Message}); {kept}", e);
        }
        if (Directory.Exists(previous)) Directory.Delete(previous, true);
        if (Directory.Exists(final)) Directory.Move(final, previous);
        Directory.Move(temporary, final);
        if (Directory.Exists(previous)) Directory.Delete(previous, true);
    }

    /// <summary>Whether <paramref name="runFolder"/> has a complete checkpoint (or the previous one of an interrupted swap).</summary>
    public static bool Exists(string runFolder) => Located(runFolder) is not null;

    /// <summary>
    /// Checks the checkpoint of <paramref name="runFolder"/> against itself and against <paramref name="session"/>
    /// (configuration but the step count, parameter count, training data) without changing anything; throws a
    /// <see cref="DataFormatException"/> naming the first mismatch. Returns the state it holds.
    /// </summary>
    public static CheckpointState Verify(string runFolder, TrainingSession session)
    {
        var folder = Located(runFolder) ?? throw new DataFormatException(FolderOf(runFolder), "no checkpoint to resume from");
        var statePath = Path.Combine(folder, StateFile);
        JsonObject document;
        CheckpointState? state;
        string? checksum;
        try
        {
            document = JsonNode.Parse(File.ReadAllText(statePath)) as JsonObject ?? throw new JsonException("not an object");
            state = document.Deserialize<CheckpointState>(Compact);
            checksum = document["Checksum"]?.GetValueKind() == JsonValueKind.String ? (string)document["Checksum"]! : null;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException) // a duplicate key is an ArgumentException
        {
            throw new DataFormatException(statePath, "is not valid checkpoint JSON, the checkpoint is damaged (" + DataFormatException.JsonProblem(e) + ")");
        }
        if (checksum is null || document["Run"] is not JsonObject run || document["Files"] is not JsonObject files)
            throw new DataFormatException(statePath, "has no checksum, run record or file list: it was not written by this version of labelnoise, or was edited");
        if (checksum != Checksum(document))
            throw new DataFormatException(statePath, "does not match its own checksum: it was edited or damaged");
        if (state is null || state.SamplerState is not { Length: 4 } || state.NoiseState is not { Length: 4 } || state.Step < 0)
            throw new DataFormatException(statePath, "checkpoint state is incomplete");
        foreach (var (name, hash) in files)
        {
            var file = Path.Combine(folder, name);
            if (!File.Exists(file)) throw new DataFormatException(file, "is missing from the checkpoint");
            if (hash?.ToString() != FileHash(file)) throw new DataFormatException(file, "differs from the file the checkpoint recorded: it was damaged or replaced");
        }
        CompareRun(run, RunIdentity(session), runFolder, session);
        return state;
    }

    /// <summary><see cref="Verify"/>, then the learner's parameters and optimizer state from the checkpoint.</summary>
    public static CheckpointState Load(string runFolder, TrainingSession session)
    {
        var state = Verify(runFolder, session);
        session.Learner.LoadState(Located(runFolder)!);
        return state;
    }

    static JsonObject RunIdentity(TrainingSession session)
    {
        var identity = new JsonObject
        {
            ["Config"] = JsonSerializer.SerializeToNode(session.Config with { Steps = 0 }, Compact),
            ["ParameterCount"] = session.Learner.ParameterCount,
            ["TrainingExamples"] = session.Train.Count,
            ["DataFingerprint"] = DataFingerprint.Of(session.Train),
        };
        // A user's TorchScript module is a file the run depends on: its code and its starting weights.
        if (Models.ModelSpec.Parse(session.Config.Model).File is { } module && File.Exists(module)) identity["ModelFile"] = FileHash(module);
        return identity;
    }

    static void CompareRun(JsonObject saved, JsonObject current, string runFolder, TrainingSession session)
    {
        string configPath = Path.Combine(runFolder, RunConfigFile.FileName);
        if (saved["Config"] is not JsonObject savedConfig) throw new DataFormatException(Path.Combine(FolderOf(runFolder), StateFile), "has no run configuration");
        foreach (var (key, value) in current["Config"]!.AsObject())
            if (!JsonNode.DeepEquals(value, savedConfig[key]))
                throw new DataFormatException(configPath, $"gives {key} = {Show(value)}, but the checkpoint was written by a run with {key} = {Show(savedConfig[key])}");
        if (saved["ParameterCount"]?.GetValue<int>() is int count && count != session.Learner.ParameterCount)
            throw new DataFormatException(FolderOf(runFolder), $"holds {count:N0} parameters, but the model {session.Config.Model} has {session.Learner.ParameterCount:N0}");
        if (saved["ModelFile"] is not null && !JsonNode.DeepEquals(saved["ModelFile"], current["ModelFile"]))
            throw new DataFormatException(Models.ModelSpec.Parse(session.Config.Model).File!, "differs from the TorchScript module the run was started with (it was replaced or changed on disk)");
        if (!JsonNode.DeepEquals(saved["DataFingerprint"], current["DataFingerprint"]) || !JsonNode.DeepEquals(saved["TrainingExamples"], current["TrainingExamples"]))
            throw new DataFormatException(FolderOf(runFolder), $"was trained on other data than the {session.Train.Count:N0} examples of {session.Train.Name} read now (the data changed on disk, or the options select others)");
    }

    static string Show(JsonNode? value) => value is null ? "nothing" : value.ToJsonString(Compact);

    /// <summary>SHA-256 of the document's compact JSON without its Checksum property.</summary>
    static string Checksum(JsonObject document)
    {
        var copy = document.DeepClone().AsObject();
        copy.Remove("Checksum");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(copy.ToJsonString(Compact))));
    }

    static string FileHash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    static string? Located(string runFolder)
    {
        foreach (var folder in new[] { FolderOf(runFolder), FolderOf(runFolder) + ".old" })
            if (File.Exists(Path.Combine(folder, StateFile))) return folder;
        return null;
    }
}
