using System.Globalization;

namespace LabelNoise.Experiments;

/// <summary>
/// How far a claim's measurement is from its criterion, in words, signed so that "+" is on the criterion's side:
/// "+3.2 points over the 1.5 required", "−0.3 points past the 1 allowed". A claim with several conditions joins
/// one margin per condition (<see cref="Join"/>); the tightest is the one that decides the verdict. The sign says
/// whether the condition is met, so a measurement exactly at a strict bound ("&gt; 1") is "−0".
/// </summary>
public static class Margin
{
    /// <summary>The measurement must be ≥ <paramref name="required"/> (&gt; where <paramref name="strict"/>).</summary>
    public static string AtLeast(double value, double required, string unit = "", string format = "G3", bool strict = false)
    {
        if (double.IsNaN(value)) return "";
        bool met = strict ? value > required : value >= required;
        return $"{Signed(value - required, met, format)}{unit} {(met ? "over" : "short of")} the {Number(required, format)} required";
    }

    /// <summary>The measurement must be ≤ <paramref name="allowed"/> (&lt; where <paramref name="strict"/>).</summary>
    public static string AtMost(double value, double allowed, string unit = "", string format = "G3", bool strict = false)
    {
        if (double.IsNaN(value)) return "";
        bool met = strict ? value < allowed : value <= allowed;
        return $"{Signed(allowed - value, met, format)}{unit} {(met ? "under" : "past")} the {Number(allowed, format)} allowed";
    }

    /// <summary>Every measurement must be ≤ <paramref name="allowed"/> (&lt; where <paramref name="strict"/>): the margin of the largest (none where one is NaN or there are none).</summary>
    public static string AllAtMost(IEnumerable<double> values, double allowed, string unit = "", string format = "G3", bool strict = false) =>
        AtMost(Extreme(values, Math.Max), allowed, unit, format, strict);

    /// <summary>Every measurement must be ≥ <paramref name="required"/> (&gt; where <paramref name="strict"/>): the margin of the smallest (none where one is NaN or there are none).</summary>
    public static string AllAtLeast(IEnumerable<double> values, double required, string unit = "", string format = "G3", bool strict = false) =>
        AtLeast(Extreme(values, Math.Min), required, unit, format, strict);

    /// <summary>The measurement must be (strictly) below (or above) a measured reference: the relative gap, e.g. "+32 % below 100".</summary>
    public static string Below(double value, double reference, string format = "G3") => Relative(reference - value, reference, "below", true, format);

    /// <inheritdoc cref="Below"/>
    public static string Above(double value, double reference, string format = "G3") => Relative(value - reference, reference, "above", true, format);

    /// <summary>
    /// The values must decrease from each to the next (or not increase, where not <paramref name="strict"/>): the
    /// <see cref="Below"/> margin of the tightest step (the smallest relative decrease), e.g. "+12 % below 0.5 at the
    /// tightest step"; none for fewer than two values or a NaN.
    /// </summary>
    public static string Decreasing(IReadOnlyList<double> values, string format = "G3", bool strict = true) =>
        Tightest(values, decreasing: true, strict, format);

    /// <summary>The values must increase from each to the next (or not decrease): the <see cref="Above"/> margin of the tightest step.</summary>
    public static string Increasing(IReadOnlyList<double> values, string format = "G3", bool strict = true) =>
        Tightest(values, decreasing: false, strict, format);

    /// <summary>How many of the seeds meet the criterion on their own: "3 of 3 seeds".</summary>
    public static string Seeds(int meeting, int seeds) => string.Create(CultureInfo.InvariantCulture, $"{meeting} of {seeds} seeds meet it");

    /// <summary>The margins of a claim's conditions, in the criterion's order (empty parts left out).</summary>
    public static string Join(params string[] parts) => string.Join("; ", parts.Where(p => p.Length > 0));

    /// <summary>The relative gap to <paramref name="reference"/>, <paramref name="gap"/> positive on the criterion's side.</summary>
    static string Relative(double gap, double reference, string direction, bool strict, string format) =>
        double.IsNaN(gap) || double.IsNaN(reference) || reference == 0 ? "" :
        $"{Signed(100 * gap / Math.Abs(reference), strict ? gap > 0 : gap >= 0, "F0")} % {direction} {Number(reference, format)}";

    static string Tightest(IReadOnlyList<double> values, bool decreasing, bool strict, string format)
    {
        if (values.Count < 2 || values.Any(double.IsNaN)) return "";
        double Gap(int i) => decreasing ? values[i] - values[i + 1] : values[i + 1] - values[i];
        int step = Enumerable.Range(0, values.Count - 1).MinBy(i => Gap(i) / Math.Abs(values[i]));
        string margin = Relative(Gap(step), values[step], decreasing ? "below" : "above", strict, format);
        return margin.Length == 0 ? "" : margin + " at the tightest step";
    }

    /// <summary>The largest (or smallest) of <paramref name="values"/> by <paramref name="pick"/>; NaN where there are none or one is NaN.</summary>
    static double Extreme(IEnumerable<double> values, Func<double, double, double> pick)
    {
        var all = values.ToArray();
        return all.Length == 0 ? double.NaN : all.Aggregate(pick); // Math.Max and Math.Min propagate NaN
    }

    /// <summary>|x| with "+" where the condition is <paramref name="met"/>, "−" where not.</summary>
    static string Signed(double x, bool met, string format) => (met ? "+" : "−") + Number(Math.Abs(x), format);

    static string Number(double x, string format) =>
        double.IsInfinity(x) ? (x > 0 ? "∞" : "−∞") : x.ToString(format, CultureInfo.InvariantCulture).Replace('-', '−');
}
