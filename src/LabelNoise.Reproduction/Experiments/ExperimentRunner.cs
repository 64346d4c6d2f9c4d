using System.Diagnostics;
using LabelNoise.Training;
using LabelNoise.Files;

namespace LabelNoise.Experiments;

/// <summary>
/// Runs an experiment into a temporary folder and swaps it into results/&lt;name&gt;/ only when data,
/// figures and claims are all written: an interrupted or failed run never leaves a partial result.
/// </summary>
public static class ExperimentRunner
{
    /// <param name="machineSpeed">Measures this machine's float32 matmul GFLOP/s right after the experiment, for its summary (null: not measured).</param>
    public static ExperimentSummary Run(IExperiment experiment, string resultsFolder, ExperimentScale scale, ulong seed,
        IProgress<string>? progress = null, CancellationToken cancellation = default, Func<double>? machineSpeed = null)
    {
        var final = Path.Combine(resultsFolder, experiment.Name);
        var temporary = final + $".tmp-{Environment.ProcessId}";
        if (Directory.Exists(temporary)) Directory.Delete(temporary, true);
        Directory.CreateDirectory(temporary);
        try
        {
            var clock = Stopwatch.StartNew();
            var setting = experiment.Generate(new ExperimentContext(temporary, scale, seed, progress, cancellation));
            cancellation.ThrowIfCancellationRequested();
            var figures = experiment.Plot(temporary);
            var claims = experiment.Evaluate(temporary);
            var data = Directory.GetFiles(temporary, "*.csv", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(temporary, f)).Order(StringComparer.Ordinal).ToArray();
            double seconds = clock.Elapsed.TotalSeconds;
            var summary = new ExperimentSummary(experiment.Name, experiment.Title, experiment.Description, setting,
                scale.ToString().ToLowerInvariant(), seed, seconds, claims, figures, data)
            {
                Finished = DateTimeOffset.UtcNow,
                MatmulGflops = machineSpeed?.Invoke(),
                Values = ExperimentSummary.ValuesOf(experiment.Values(temporary)),
                Tables = experiment.Tables(temporary),
            };
            summary.Write(temporary);
            // Renames only: at every instant results/<name>/ or results/<name>.old/ holds a complete earlier result.
            var previous = final + ".old";
            if (Directory.Exists(previous)) Directory.Delete(previous, true);
            if (Directory.Exists(final)) Directory.Move(final, previous);
            Directory.Move(temporary, final);
            if (Directory.Exists(previous)) Directory.Delete(previous, true);
            return summary;
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, true);
        }
    }

    /// <summary>
    /// Recomputes an experiment's figures, verdicts, headline numbers and tables from the data files already in results/&lt;name&gt;/
    /// (after a change to how they are judged or drawn; no training), keeping its setting, seed and runtime.
    /// </summary>
    public static ExperimentSummary Refresh(IExperiment experiment, string resultsFolder)
    {
        var folder = Path.Combine(resultsFolder, experiment.Name);
        var previous = ExperimentSummary.Read(folder);
        var summary = previous with
        {
            Title = experiment.Title,
            Description = experiment.Description,
            Figures = experiment.Plot(folder),
            Claims = experiment.Evaluate(folder),
            Values = ExperimentSummary.ValuesOf(experiment.Values(folder)),
            Tables = experiment.Tables(folder),
        };
        summary.Write(folder);
        return summary;
    }

    /// <summary>Writes the experiment's effective configuration next to its data.</summary>
    public static void WriteConfig<T>(string folder, T config) =>
        AtomicFile.WriteAllText(Path.Combine(folder, "config.json"), new System.Text.Json.Nodes.JsonObject
        {
            ["config"] = System.Text.Json.JsonSerializer.SerializeToNode(config, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }),
            ["versions"] = RunConfigFile.Versions(),
        }.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
}
