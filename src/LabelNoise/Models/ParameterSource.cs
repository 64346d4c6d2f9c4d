using LabelNoise.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelNoise.Models;

/// <summary>
/// Where a model's parameters come from: a flat text file (one number per line), a TorchSharp
/// state dict (*.dat), a PyTorch state_dict (*.pt, *.pth: see <see cref="PyTorchStateDict"/>), or a run
/// folder (its final-params.txt, else its checkpoint).
/// </summary>
public static class ParameterSource
{
    public const string FinalParametersFile = "final-params.txt";
    public const string CheckpointFolder = "checkpoint";
    public const string StateDictFile = "model.dat";
    public const string FlatStateFile = "parameters.bin";

    /// <summary>
    /// Loads <paramref name="source"/>: a state dict goes straight into <paramref name="network"/> (and null is
    /// returned); everything else is returned as a flat vector of <paramref name="count"/> numbers.
    /// </summary>
    public static double[]? Load(string source, int count, nn.Module<Tensor, Tensor>? network)
    {
        if (Directory.Exists(source))
        {
            var flat = Path.Combine(source, FinalParametersFile);
            if (File.Exists(flat)) return ParameterFile.Read(flat, count);
            var checkpoint = Path.Combine(source, CheckpointFolder);
            if (network is not null && File.Exists(Path.Combine(checkpoint, StateDictFile))) source = Path.Combine(checkpoint, StateDictFile);
            else if (network is null && File.Exists(Path.Combine(checkpoint, FlatStateFile)))
                return StateVector.Read(Path.Combine(checkpoint, FlatStateFile), count);
            else throw new DataFormatException(source, $"holds neither {FinalParametersFile} nor a checkpoint of this model");
        }
        if (PyTorchStateDict.IsPyTorchFile(source))
        {
            if (network is null) return PyTorchStateDict.ReadFlat(source, count);
            PyTorchStateDict.LoadInto(source, network);
            return null;
        }
        if (source.EndsWith(".dat", StringComparison.OrdinalIgnoreCase))
        {
            if (network is null) throw new DataFormatException(source, "is a network state dict, but this model is hand-written: give a flat parameter file");
            StateDictValidator.Validate(source, network); // TorchSharp trusts the sizes in the file
            try { network.load(source); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException)
            { throw new DataFormatException(source, "is not a state dict of this model (" + e.Message.Split('\n')[0].TrimEnd('.') + ")"); }
            return null;
        }
        return ParameterFile.Read(source, count);
    }
}
