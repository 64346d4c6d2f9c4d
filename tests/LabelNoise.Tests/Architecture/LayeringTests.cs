using System.Text.RegularExpressions;

namespace LabelNoise.Tests.Architecture;

/// <summary>
/// The folders of each assembly form layers, and a folder uses only folders of lower layers (read from its
/// <c>using LabelNoise.X</c> lines and <c>LabelNoise.X.</c> qualified names). The compiler keeps the library from
/// using the reproduction; this keeps each assembly free of folder cycles. A new folder must be placed here.
/// </summary>
public class LayeringTests
{
    /// <summary>Each assembly's folders, lowest layer first; folders on one line are one layer and do not use each other.</summary>
    public static readonly TheoryData<string, string[][]> Assemblies = new()
    {
        {
            "LabelNoise",
            [
                ["Randomness", "Native"],
                ["Data", "Curvature"],
                ["Files", "Noise", "Losses"],
                ["Models"],
                ["Objectives"],
                ["Theory"],
                ["Measurement", "Training"],
            ]
        },
        {
            "LabelNoise.Reproduction",
            [
                ["Figures"],
                ["Benchmarks", "Experiments"],
                ["Diagnostics"],
                ["Report"],
            ]
        },
    };

    static readonly Regex Reference = new(@"(?:^using (?:static )?LabelNoise\.(\w+)[.;])|(?:\bLabelNoise\.(\w+)\.)", RegexOptions.Multiline);

    static string SourceRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "LabelNoise.sln"))) return Path.Combine(folder.FullName, "src");
        throw new InvalidOperationException("LabelNoise.sln not found above " + AppContext.BaseDirectory);
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void EachFolderUsesOnlyLowerLayers(string assembly, string[][] layers)
    {
        var layerOf = layers.SelectMany((names, k) => names.Select(n => (n, k))).ToDictionary(p => p.n, p => p.k);
        string root = Path.Combine(SourceRoot(), assembly);
        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).Where(n => n is not ("bin" or "obj")).ToArray();
        Assert.Equal(folders.Order(), layerOf.Keys.Order()); // every folder placed, none invented
        var violations = new List<string>();
        foreach (var folder in folders)
            foreach (var file in Directory.GetFiles(Path.Combine(root, folder!), "*.cs", SearchOption.AllDirectories))
                foreach (Match m in Reference.Matches(File.ReadAllText(file)))
                {
                    string used = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
                    if (used == folder || !layerOf.TryGetValue(used, out int usedLayer)) continue; // itself, or another assembly's
                    if (usedLayer >= layerOf[folder!]) violations.Add($"{Path.GetRelativePath(root, file)} uses {used}");
                }
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void TheLibraryRunsNoPackageManagerAndNoPeer()
    {
        string root = Path.Combine(SourceRoot(), "LabelNoise");
        var offending = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/") && Regex.IsMatch(File.ReadAllText(f), @"apt-get|python3|\bPeer"))
            .Select(f => Path.GetRelativePath(root, f)).ToArray();
        Assert.Empty(offending);
    }
}
