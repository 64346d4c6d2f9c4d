using ScottPlot;
using LabelNoise.Files;

namespace LabelNoise.Figures;

/// <summary>One line of a figure: y against x, optionally with a shaded band [lower, upper].</summary>
/// <param name="MarkEnds">Mark the first point with an open circle and the last with a filled one (for trajectories drawn in time order).</param>
/// <param name="ErrorBars">Draw [lower, upper] as an error bar at each point (with its marker) rather than as a shaded band.</param>
public sealed record Series(string Label, double[] X, double[] Y, double[]? Lower = null, double[]? Upper = null, bool Dashed = false, bool MarkersOnly = false,
    bool MarkEnds = false, bool ErrorBars = false);

/// <summary>A figure written as PNG and SVG (paths relative to the experiment folder, without extension).</summary>
public sealed record FigureFile(string Name, string Caption);

/// <summary>
/// Draws line figures with ScottPlot (PNG and SVG, labelled axes and a legend) using the font
/// shipped with LabelNoise, so that text renders on machines without fonts.
/// </summary>
public static class FigureWriter
{
    const string FontName = "DejaVu Sans";
    static readonly object Gate = new();
    static bool fontRegistered;

    public static FigureFile Line(string folder, string name, string title, string xLabel, string yLabel, IReadOnlyList<Series> series,
        string caption, bool logX = false, bool logY = false, IReadOnlyList<(double Y, string Label)>? horizontalLines = null)
    {
        EnsureFont();
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(title);
        plot.XLabel(logX ? $"log₁₀ {xLabel}" : xLabel);
        plot.YLabel(logY ? $"log₁₀ {yLabel}" : yLabel);
        var palette = new ScottPlot.Palettes.Category10();
        for (int k = 0; k < series.Count; k++)
        {
            var s = series[k];
            var color = palette.GetColor(k);
            var xs = Transform(s.X, logX);
            if (s.Lower is not null && s.Upper is not null && s.ErrorBars)
            {
                var (lower, upper) = (Transform(s.Lower, logY), Transform(s.Upper, logY));
                for (int i = 0; i < xs.Length; i++)
                {
                    var bar = plot.Add.Line(xs[i], lower[i], xs[i], upper[i]);
                    bar.Color = color;
                    bar.LineWidth = 2;
                    foreach (double end in new[] { lower[i], upper[i] }) plot.Add.Marker(xs[i], end, MarkerShape.HorizontalBar, 12, color);
                }
            }
            else if (s.Lower is not null && s.Upper is not null)
            {
                var fill = plot.Add.FillY(xs, Transform(s.Lower, logY), Transform(s.Upper, logY));
                fill.FillColor = color.WithAlpha(0.2);
                fill.LineWidth = 0;
            }
            var line = plot.Add.Scatter(xs, Transform(s.Y, logY), color);
            line.LegendText = s.Label;
            line.LineWidth = s.MarkersOnly ? 0 : 2;
            line.MarkerSize = s.MarkersOnly || s.ErrorBars ? 7 : 0;
            if (s.Dashed) line.LinePattern = LinePattern.Dashed;
            if (s.MarkEnds && xs.Length > 0)
            {
                var ys = Transform(s.Y, logY);
                plot.Add.Marker(xs[0], ys[0], MarkerShape.OpenCircle, 11, color);
                plot.Add.Marker(xs[^1], ys[^1], MarkerShape.FilledCircle, 11, color);
            }
        }
        foreach (var (y, label) in horizontalLines ?? [])
        {
            var h = plot.Add.HorizontalLine(logY ? Math.Log10(y) : y);
            h.LinePattern = LinePattern.Dotted;
            h.LegendText = label;
        }
        // Below the axes, so that it never covers data.
        plot.ShowLegend(Edge.Bottom);
        Directory.CreateDirectory(folder);
        AtomicFile.Write(Path.Combine(folder, name + ".png"), temporary => plot.SavePng(temporary, 800, 550));
        AtomicFile.Write(Path.Combine(folder, name + ".svg"), temporary => plot.SaveSvg(temporary, 800, 550));
        return new FigureFile(name, caption);
    }

    static double[] Transform(double[] values, bool log) => log ? values.Select(Math.Log10).ToArray() : values;

    static void EnsureFont()
    {
        lock (Gate)
        {
            if (fontRegistered) return;
            var path = Path.Combine(AppContext.BaseDirectory, "fonts", "DejaVuSans.ttf");
            if (!File.Exists(path)) throw new FileNotFoundException($"the figure font is missing: {path}");
            Fonts.AddFontFile(FontName, path, false, false);
            fontRegistered = true;
        }
    }
}
