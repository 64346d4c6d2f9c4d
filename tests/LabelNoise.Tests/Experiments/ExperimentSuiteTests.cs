using LabelNoise.Experiments;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Report;
using LabelNoise.Files;

namespace LabelNoise.Tests.Experiments;

/// <summary>Every experiment runs at tiny scale and produces data, figures, claims and a report section.</summary>
public class ExperimentSuiteTests
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var e in ExperimentCatalog.All.Where(e => e.Name != "escape" && e.Name != "momentum")) data.Add(e.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void RunsAtTinyScaleAndWritesEverything(string name)
    {
        using var folder = new TempFolder();
        var experiment = ExperimentCatalog.Find(name);
        var summary = ExperimentRunner.Run(experiment, folder.Path, ExperimentScale.Tiny, seed: 0);
        var root = Path.Combine(folder.Path, name);
        Assert.NotEmpty(summary.Claims);
        Assert.NotEmpty(summary.Figures);
        foreach (var figure in summary.Figures)
            foreach (var extension in new[] { ".png", ".svg" })
                Assert.True(new FileInfo(Path.Combine(root, figure.Name + extension)).Length > 1000, $"{figure.Name}{extension} is missing or empty");
        Assert.All(summary.DataFiles, d => Assert.True(File.Exists(Path.Combine(root, d))));
        Assert.True(File.Exists(Path.Combine(root, "config.json")));
        Assert.Equal(summary, ExperimentSummary.Read(root) with { Claims = summary.Claims, Figures = summary.Figures, DataFiles = summary.DataFiles, Tables = summary.Tables });
        Assert.Equal(summary.Claims, experiment.Evaluate(root)); // verdicts are a function of the written data
        Assert.Empty(Directory.GetDirectories(folder.Path, "*.tmp-*"));

        var (markdown, html) = ReportWriter.Write(folder.Path);
        Assert.Contains(summary.Title, markdown);
        Assert.Contains(summary.Claims[0].Statement.Split(' ')[0], html);
        Assert.Contains($"{name}/{summary.Figures[0].Name}.png", markdown);
    }

    [Fact]
    public void RefreshRecomputesFiguresAndVerdictsFromTheWrittenDataKeepingTheRunsSettingAndTime()
    {
        using var folder = new TempFolder();
        var experiment = ExperimentCatalog.Find("regularization-strength");
        var summary = ExperimentRunner.Run(experiment, folder.Path, ExperimentScale.Tiny, 3);
        var root = Path.Combine(folder.Path, experiment.Name);
        var figure = Path.Combine(root, summary.Figures[0].Name + ".png");
        File.Delete(figure);
        File.WriteAllText(Path.Combine(root, ExperimentSummary.FileName),
            File.ReadAllText(Path.Combine(root, ExperimentSummary.FileName)).Replace("\"Holds\"", "\"NotTestable\""));
        Assert.NotEqual(summary.Claims, ExperimentSummary.Read(root).Claims);

        var refreshed = ExperimentRunner.Refresh(experiment, folder.Path);

        Assert.True(File.Exists(figure));
        Assert.Equal(summary.Claims, refreshed.Claims);
        Assert.Equal(summary.Claims, ExperimentSummary.Read(root).Claims);
        Assert.Equal((summary.Setting, summary.Seconds, summary.Seed), (refreshed.Setting, refreshed.Seconds, refreshed.Seed));
    }

    [Fact]
    public void SameSeedGivesTheSameNumbers()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        var experiment = ExperimentCatalog.Find("regularization-strength");
        ExperimentRunner.Run(experiment, a.Path, ExperimentScale.Tiny, 3);
        ExperimentRunner.Run(experiment, b.Path, ExperimentScale.Tiny, 3);
        foreach (var file in Directory.GetFiles(Path.Combine(a.Path, experiment.Name), "*.csv"))
            Assert.Equal(File.ReadAllText(file), File.ReadAllText(Path.Combine(b.Path, experiment.Name, Path.GetFileName(file))));
        WrittenNumbersFollowTheirDefinitions(Path.Combine(a.Path, experiment.Name));
    }

    /// <summary>Known answers in regularization-strength's files: each number against its definition, computed here from the others.</summary>
    static void WrittenNumbersFollowTheirDefinitions(string root)
    {
        static void Close(double expected, double actual, string what) =>
            Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{what}: written {actual}, by definition {expected}");
        // Fig. 1: R(λ) = −log(1 − ηλ/2)/(2η) and its η → 0 limit λ/4, on λ = 0, 0.005, …, 1.
        var curves = CsvTable.Read(Path.Combine(root, "fig1.csv"));
        Assert.Equal(3 * 201, curves.RowCount);
        for (int i = 0; i < curves.RowCount; i++)
        {
            double eta = curves[i, "eta"], x = curves[i, "eigenvalue"];
            Assert.Equal(i % 201 / 200.0, x);
            Close(-Math.Log(1 - eta * x / 2) / (2 * eta), curves[i, "regularizer"], $"R({x}) at η = {eta}");
            Close(x / 4, curves[i, "small_eta_limit"], $"{x}/4");
        }
        // The spectrum's sum and maximum are the trace and λ₁ the other files quote; R there is the sum of the per-eigenvalue terms.
        var spectrum = CsvTable.Read(Path.Combine(root, "spectrum.csv")).Column("eigenvalue");
        var sharp = CsvTable.Read(Path.Combine(root, "sharpness.csv"));
        for (int i = 0; i < sharp.RowCount; i++)
        {
            double nu = sharp[i, "nu"], eta = sharp[i, "eta"], top = spectrum.Max();
            Close(top, sharp[i, "lambda_max"], "λ₁");
            Close((2 - nu) / top, eta, "η = (2 − ν)/λ₁");
            Close(spectrum.Sum(v => -Math.Log(1 - eta * v / 2) / (2 * eta)), sharp[i, "regularizer"], $"R at ν = {nu}");
            Close(4 * sharp[i, "regularizer"] / Math.Log(2 / nu), sharp[i, "four_r_over_log"], $"4R/log(2/ν) at ν = {nu}");
        }
        var small = CsvTable.Read(Path.Combine(root, "small-eta.csv"));
        for (int i = 0; i < small.RowCount; i++)
        {
            Close(spectrum.Sum(), small[i, "trace"], "tr ∇²L");
            Close(4 * small[i, "regularizer"], small[i, "four_r"], "4R");
        }
    }
}
