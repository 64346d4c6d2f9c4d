using LabelNoise.Data;

namespace LabelNoise.Models;

/// <summary>Exact binary files of float64 vectors (little-endian), for checkpoints.</summary>
public static class StateVector
{
    public static void Write(string path, ReadOnlySpan<double> values)
    {
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream);
        writer.Write(values.Length);
        foreach (var v in values) writer.Write(v);
    }

    public static double[] Read(string path, int expectedLength)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, "checkpoint file not found");
        using var reader = new BinaryReader(File.OpenRead(path));
        int length = reader.ReadInt32();
        if (length != expectedLength) throw new DataFormatException(path, $"holds {length} numbers but the model needs {expectedLength}");
        if (reader.BaseStream.Length != 4 + 8L * length) throw new DataFormatException(path, "checkpoint file is truncated");
        var values = new double[length];
        for (int i = 0; i < length; i++) values[i] = reader.ReadDouble();
        return values;
    }
}
