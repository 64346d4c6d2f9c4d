using System.Collections;
using TorchSharp.PyBridge;

namespace LabelNoise.Data;

/// <summary>
/// A dict saved with <c>torch.save</c> (the zip format, PyTorch ≥ 1.6), unpickled by TorchSharp.PyBridge: what the state-dict
/// reader and the tensors data reader share, each failure one <see cref="DataFormatException"/> sentence.
/// </summary>
internal static class PyTorchFile
{
    /// <param name="what">What the file should hold, for the sentence when it cannot be read ("a PyTorch state_dict").</param>
    /// <param name="notADict">The problem when the file holds some other Python object.</param>
    public static Hashtable ReadDict(string path, string what, string notADict)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, "file not found");
        try { return PyTorchUnpickler.UnpickleStateDict(path); }
        catch (InvalidCastException) { throw new DataFormatException(path, notADict); }
        catch (NotImplementedException)
        { throw new DataFormatException(path, "is not in torch.save's zip format (a legacy PyTorch file, or not a PyTorch file at all)"); }
        catch (InvalidDataException)
        { throw new DataFormatException(path, "is not a complete zip archive (a truncated or damaged torch.save file)"); }
        catch (Exception e) when (e is not OutOfMemoryException)
        { throw new DataFormatException(path, $"could not be read as {what} ({DataFormatException.FirstLine(e.Message)})"); }
    }
}
