using System.Globalization;

namespace LabelNoise.Noise;

/// <summary>Parses the command line's noise syntax: none | pm:σ | gauss:σ | flip:p | smooth:p.</summary>
public static class NoiseSpec
{
    public const string Forms = "none, pm:σ (±σ, the paper's), gauss:σ, flip:p or smooth:p";

    /// <summary>
    /// The label-flip probability p of <paramref name="noise"/> (label flipping or its smoothed control): the p of the smoothed
    /// loss a network trains and is measured on; 0 for any other noise.
    /// </summary>
    public static double FlipProbability(ILabelNoise? noise) =>
        noise switch { LabelFlipNoise f => f.FlipProbability, LabelSmoothing s => s.FlipProbability, _ => 0 };

    public static ILabelNoise Parse(string spec)
    {
        spec = spec.Trim();
        if (spec == "none") return new NoLabelNoise();
        int colon = spec.IndexOf(':');
        if (colon < 0) throw new SettingException($"unknown noise '{spec}': use {Forms}");
        string kind = spec[..colon], text = spec[(colon + 1)..];
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new SettingException($"noise '{spec}' needs a number after '{kind}:', not '{text}'");
        try
        {
            return kind switch
            {
                "pm" => new PlusMinusNoise(value),
                "gauss" => new GaussianNoise(value),
                "flip" => new LabelFlipNoise(value),
                "smooth" => new LabelSmoothing(value),
                _ => throw new SettingException($"unknown noise '{spec}': use {Forms}"),
            };
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new SettingException($"noise '{spec}': {FirstSentence(e.Message)}");
        }
    }

    static string FirstSentence(string message)
    {
        int end = message.IndexOf(" (Parameter", StringComparison.Ordinal);
        return (end >= 0 ? message[..end] : message).Split('\n')[0].Trim();
    }
}
