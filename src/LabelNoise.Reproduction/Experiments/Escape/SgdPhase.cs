namespace LabelNoise.Experiments;

/// <summary>How heavy-ball SGD runs one phase of building an initialization.</summary>
public sealed record SgdPhase
{
    public required double LearningRate { get; init; }
    public double Momentum { get; init; }
    public required int BatchSize { get; init; }

    /// <summary>Give up (and record what was reached) after this many steps; the polishing phase always takes them all.</summary>
    public required int MaxSteps { get; init; }

    public void Validate(string name)
    {
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(name, LearningRate, $"η of {name} must be positive");
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentOutOfRangeException(name, Momentum, $"β of {name} must be in [0, 1)");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(name, BatchSize, $"B of {name} must be ≥ 1");
        if (MaxSteps < 0) throw new ArgumentOutOfRangeException(name, MaxSteps, $"the steps of {name} must be ≥ 0");
    }
}
