using LabelNoise.Figures;

namespace LabelNoise.Experiments;

/// <summary>
/// One claim of the paper as a reproducible experiment. <see cref="Generate"/> computes and writes
/// data files (CSV) and its effective configuration into the folder; <see cref="Plot"/> and
/// <see cref="Evaluate"/> read only those files, so that figures and verdicts always match the data.
/// </summary>
public interface IExperiment
{
    /// <summary>The command-line name, e.g. "regularization-strength".</summary>
    string Name { get; }

    /// <summary>Whether <c>labelnoise reproduce</c> without names runs it (false: run by name only, e.g. for its cost).</summary>
    bool RunsByDefault => true;

    /// <summary>A heading for the report, naming the paper's figure or section.</summary>
    string Title { get; }

    /// <summary>What the paper claims and how this experiment tests it, for the report.</summary>
    string Description { get; }

    /// <summary>Runs the computation; writes CSV data and config.json into <see cref="ExperimentContext.Folder"/>; returns a one-paragraph description of the setting used.</summary>
    string Generate(ExperimentContext context);

    IReadOnlyList<FigureFile> Plot(string folder);

    IReadOnlyList<Claim> Evaluate(string folder);

    /// <summary>
    /// Headline numbers computed from the data files, written at the top level of summary.json next to the claims
    /// (escape's <c>adversarial.label-noise.test_acc_final</c>, …); NaN becomes null. None by default.
    /// </summary>
    IReadOnlyDictionary<string, double> Values(string folder) => new Dictionary<string, double>();

    /// <summary>Tables computed from the data files for the experiment's section of the report (escape's table of runs, …). None by default.</summary>
    IReadOnlyList<ReportTable> Tables(string folder) => [];
}
