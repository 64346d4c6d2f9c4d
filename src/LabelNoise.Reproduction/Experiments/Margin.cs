using System.Globalization;

namespace LabelNoise.Experiments;

/// <summary>
/// How far a claim's measurement is from its criterion, in words, signed so that "+" is on the criterion's side:
/// "+3.2 points over the 1.5 required", "−0.3 points past the 1 allowed". A claim with several conditions joins
/// one margin per condition (<see cref="Join"/>); the tightest is the one that decides the verdict.
/// </summary>
public static class Margin
{
    /// <summary>The measurement must be ≥ <paramref name="required"/>.</summary>
    public static string AtLeast(double value, double required, string unit = "", string format = "G3") =>
        double.IsNaN(value) ? "" : value >= required
            ? $"{Signed(value - required, format)}{unit} over the {Number(required, format)} required"
            : $"{Signed(value - required, format)}{unit} short of the {Number(required, format)} required";

    /// <summary>The measurement must be ≤ <paramref name="allowed"/>.</summary>
    public static string AtMost(double value, double allowed, string unit = "", string format = "G3") =>
        double.IsNaN(value) ? "" : value <= allowed
            ? $"{Signed(allowed - value, format)}{unit} under the {Number(allowed, format)} allowed"
            : $"{Signed(allowed - value, format)}{unit} past the {Number(allowed, format)} allowed";

    /// <summary>The measurement must be below (or above) a measured reference: the relative gap, e.g. "+32 % below 100".</summary>
    public static string Below(double value, double reference, string format = "G3") =>
        double.IsNaN(value) || double.IsNaN(reference) || reference == 0 ? "" :
        $"{Signed(100 * (reference - value) / Math.Abs(reference), "F0")} % below {Number(reference, format)}";

    /// <inheritdoc cref="Below"/>
    public static string Above(double value, double reference, string format = "G3") =>
        double.IsNaN(value) || double.IsNaN(reference) || reference == 0 ? "" :
        $"{Signed(100 * (value - reference) / Math.Abs(reference), "F0")} % above {Number(reference, format)}";

    /// <summary>How many of the seeds meet the criterion on their own: "3 of 3 seeds".</summary>
    public static string Seeds(int meeting, int seeds) => string.Create(CultureInfo.InvariantCulture, $"{meeting} of {seeds} seeds meet it");

    /// <summary>The margins of a claim's conditions, in the criterion's order (empty parts left out).</summary>
    public static string Join(params string[] parts) => string.Join("; ", parts.Where(p => p.Length > 0));

    static string Signed(double x, string format) =>
        (x >= 0 ? "+" : "−") + Math.Abs(x).ToString(format, CultureInfo.InvariantCulture);

    static string Number(double x, string format) => x.ToString(format, CultureInfo.InvariantCulture).Replace('-', '−');
}
