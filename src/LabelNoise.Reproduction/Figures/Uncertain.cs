using System.Globalization;

namespace LabelNoise.Figures;

/// <summary>A number with its standard error as the report writes it: "x ± e", or "x (exact)" when the error is 0.</summary>
public static class Uncertain
{
    public static string Format(double value, double standardError, string format = "G3", string errorFormat = "G2")
    {
        string v = value.ToString(format, CultureInfo.InvariantCulture);
        return standardError == 0 ? $"{v} (exact)" : $"{v} ± {standardError.ToString(errorFormat, CultureInfo.InvariantCulture)}";
    }
}
