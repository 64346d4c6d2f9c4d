using System.Text.Json;
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
/// checkpoint or the new one, never a mixture.
/// </summary>
public static class Checkpoint
{
    public const string FolderName = Models.ParameterSource.CheckpointFolder;
    const string StateFile = "state.json";

    public static string FolderOf(string runFolder) => Path.Combine(runFolder, FolderName);

    public static void Save(string runFolder, CheckpointState state, ILearner learner)
    {
        string final = FolderOf(runFolder), previous = final + ".old";
        string temporary = $"{final}.tmp-{Environment.ProcessId}";
        if (Directory.Exists(temporary)) Directory.Delete(temporary, true);
        Directory.CreateDirectory(temporary);
        learner.SaveState(temporary);
        File.WriteAllText(Path.Combine(temporary, StateFile), JsonSerializer.Serialize(state));
        if (Directory.Exists(previous)) Directory.Delete(previous, true);
        if (Directory.Exists(final)) Directory.Move(final, previous);
        Directory.Move(temporary, final);
        if (Directory.Exists(previous)) Directory.Delete(previous, true);
    }

    /// <summary>Whether <paramref name="runFolder"/> has a complete checkpoint (or the previous one of an interrupted swap).</summary>
    public static bool Exists(string runFolder) => Located(runFolder) is not null;

    public static CheckpointState Load(string runFolder, ILearner learner)
    {
        var folder = Located(runFolder) ?? throw new DataFormatException(FolderOf(runFolder), "no checkpoint to resume from");
        var statePath = Path.Combine(folder, StateFile);
        CheckpointState? state;
        try { state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(statePath)); }
        catch (JsonException e) { throw new DataFormatException(statePath, "checkpoint state is not valid JSON (" + e.Message.Split('.')[0] + ")"); }
        if (state is null || state.SamplerState.Length != 4 || state.NoiseState.Length != 4)
            throw new DataFormatException(statePath, "checkpoint state is incomplete");
        learner.LoadState(folder);
        return state;
    }

    static string? Located(string runFolder)
    {
        foreach (var folder in new[] { FolderOf(runFolder), FolderOf(runFolder) + ".old" })
            if (File.Exists(Path.Combine(folder, StateFile))) return folder;
        return null;
    }
}
