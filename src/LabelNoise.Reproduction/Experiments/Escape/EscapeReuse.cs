using LabelNoise.Models;
using LabelNoise.Files;

namespace LabelNoise.Experiments;

/// <summary>
/// What the escape experiment offers for reuse: its adversarial initialization and its runs (curves.csv), made with a given
/// setting, init recipe and seed. Momentum takes them instead of building the init again.
/// </summary>
/// <param name="Folder">The escape experiment's results.</param>
/// <param name="AdversarialInit">The adversarial initialization's parameters.</param>
/// <param name="Curves">Every run's measured points.</param>
public sealed record EscapeReuse(string Folder, double[] AdversarialInit, CsvTable Curves)
{
    /// <summary>The escape experiment's inits.csv (how the init was built), copied to <paramref name="file"/>.</summary>
    public void CopyInits(string file) => File.Copy(Path.Combine(Folder, EscapeConfig.InitsFile), file);

    /// <summary>
    /// The escape results of <paramref name="context"/>'s results folder when the escape experiment finished there with this
    /// setting, recipe, seed and schedule (its <see cref="Escape.ReuseKey"/>); null otherwise.
    /// </summary>
    /// <param name="parameterCount">The model's parameter count, to read the init with.</param>
    public static EscapeReuse? Find(ExperimentContext context, EscapeSetting setting, InitRecipe init, double emaDecay, double annealFraction,
        double annealFactor, int parameterCount)
    {
        if (context.Finished(Escape.ExperimentName) is not { } folder) return null;
        string keyPath = Path.Combine(folder, Escape.ReuseKeyFile), initPath = Path.Combine(folder, EscapeConfig.AdversarialInitFile), curvesPath = Path.Combine(folder, EscapeConfig.CurvesFile);
        if (!File.Exists(keyPath) || !File.Exists(initPath) || !File.Exists(curvesPath)) return null;
        if (File.ReadAllText(keyPath) != Escape.ReuseKey(setting, init, context.Seed, emaDecay, annealFraction, annealFactor)) return null;
        return new EscapeReuse(folder, StateVector.Read(initPath, parameterCount), CsvTable.Read(curvesPath));
    }
}
