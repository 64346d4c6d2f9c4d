using LabelNoise.Training;

namespace LabelNoise.Experiments;

/// <summary>One run: where it starts, what it does, with which seed and step size, for how long.</summary>
public sealed record RunRecipe
{
    public required EscapeInit Init { get; init; }
    public required EscapeMethod Method { get; init; }
    public required int Seed { get; init; }
    public required double LearningRate { get; init; }
    public double Momentum { get; init; }
    public required int Steps { get; init; }

    /// <summary>Measured points after step 0 (equally spaced; the last at <see cref="Steps"/>).</summary>
    public required int Evaluations { get; init; }

    /// <summary>Decay per step of the exponential moving average of the parameters (the averaged iterate); 0: none.</summary>
    public double EmaDecay { get; init; }

    /// <summary>The last fraction of the steps that runs at η × <see cref="AnnealFactor"/> (0: a constant η throughout).</summary>
    public double AnnealFraction { get; init; }

    /// <summary>The factor on η in the last <see cref="AnnealFraction"/> of the steps.</summary>
    public double AnnealFactor { get; init; } = 1;

    /// <summary>η at every step: <see cref="LearningRate"/>, times <see cref="AnnealFactor"/> from step ⌈(1 − <see cref="AnnealFraction"/>)·Steps⌉ on.</summary>
    public LearningRateSchedule Schedule => new(LearningRate,
        AnnealFraction > 0 ? [((long)Math.Ceiling((1 - AnnealFraction) * Steps), AnnealFactor)] : []);

    /// <summary>Whether tr ∇²L, R and tr_G are measured (NaN when not).</summary>
    public bool MeasureCurvature { get; init; } = true;

    /// <summary>
    /// Curvature at step 0 and every k-th measured point after it; the points between are accuracies only (their curvature NaN), which
    /// cost a fraction of a curvature point. <see cref="Evaluations"/> must be a multiple of it, so that the last point has curvature.
    /// </summary>
    public int CurvatureEvery { get; init; } = 1;
}
