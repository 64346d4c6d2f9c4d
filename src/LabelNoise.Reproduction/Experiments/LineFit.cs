namespace LabelNoise.Experiments;

/// <summary>
/// The least-squares line y ≈ Intercept + Slope·x, with the slope's standard error from the residuals
/// (√(RSS/(m − 2) / Σ(x − x̄)²); NaN with fewer than three points). All NaN for fewer than two points or non-finite values.
/// </summary>
public sealed record LineFit(double Slope, double Intercept, double SlopeStandardError)
{
    public static LineFit Of(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"x has {x.Count} values and y {y.Count}", nameof(y));
        if (x.Count < 2 || x.Any(v => !double.IsFinite(v)) || y.Any(v => !double.IsFinite(v))) return new(double.NaN, double.NaN, double.NaN);
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my)), sxx = x.Sum(v => (v - mx) * (v - mx));
        double slope = sxy / sxx, intercept = my - slope * mx;
        double rss = x.Zip(y).Sum(p => Math.Pow(p.Second - intercept - slope * p.First, 2));
        return new(slope, intercept, x.Count > 2 ? Math.Sqrt(rss / (x.Count - 2) / sxx) : double.NaN);
    }
}
