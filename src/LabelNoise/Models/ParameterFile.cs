using System.Globalization;
using LabelNoise.Data;
using LabelNoise.Files;

namespace LabelNoise.Models;

/// <summary>A flat parameter vector as a text file: one number per line, in the model's documented order.</summary>
internal static class ParameterFile
{
    public static double[] Read(string path, int expectedCount)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, "file not found");
        var values = new List<double>();
        int lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            if (!double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                throw new DataFormatException(path, $"line {lineNumber} is not a number ('{DataFormatException.Quote(line)}')");
            if (!double.IsFinite(value)) // "NaN", "Infinity", "∞" and 1e400 all parse; none is a parameter to train from
                throw new DataFormatException(path, $"line {lineNumber} is not a finite number ('{DataFormatException.Quote(line)}')");
            values.Add(value);
        }
        if (values.Count != expectedCount)
            throw new DataFormatException(path, $"holds {values.Count} parameters but the model has {expectedCount}");
        return values.ToArray();
    }

    public static void Write(string path, ReadOnlySpan<double> parameters)
    {
        var text = new System.Text.StringBuilder();
        foreach (var value in parameters) text.Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        AtomicFile.WriteAllText(path, text.ToString());
    }
}
