namespace LabelNoise.Experiments;

/// <summary>Every experiment of the reproduction suite, in the report's order.</summary>
public static class ExperimentCatalog
{
    public static IReadOnlyList<IExperiment> All { get; } =
    [
        new RegularizationStrength(),
        new SparseRecovery(),
        new OuCovarianceExperiment(),
        new Coupling(),
        new NoiseCovariance(),
        new Escape(),
        new Momentum(),
        new MinibatchCycling(),
        new EscapeGain(),
    ];

    /// <summary>What <c>labelnoise reproduce</c> runs when no experiment is named.</summary>
    public static IReadOnlyList<IExperiment> Default { get; } = All.Where(e => e.RunsByDefault).ToArray();

    public static IExperiment Find(string name) => All.FirstOrDefault(e => e.Name == name)
        ?? throw new ArgumentException($"unknown experiment '{name}': choose from {string.Join(", ", All.Select(e => e.Name))}");
}
