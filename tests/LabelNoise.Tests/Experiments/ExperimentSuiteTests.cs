using LabelNoise.Experiments;
using LabelNoise.Reporting;
using LabelNoise.Tests.TestSupport;

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
    }
}
