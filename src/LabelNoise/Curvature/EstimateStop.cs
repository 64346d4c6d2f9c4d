namespace LabelNoise.Curvature;

/// <summary>Why an estimate of a trace or spectral sum stopped; <see cref="EstimateStops.Sentence"/> says it in words.</summary>
public enum EstimateStop
{
    /// <summary>Computed exactly (no probes, or a sketch that spans the operator's range).</summary>
    Exact,
    /// <summary>The requested relative standard error was reached.</summary>
    TargetReached,
    /// <summary>No target was set, and the probes or products asked for were spent.</summary>
    BudgetSpent,
    /// <summary>The probes or products ran out before the requested relative standard error.</summary>
    BudgetBeforeTarget,
    /// <summary>A probe's sample was not finite (f was infinite or undefined at a quadrature node).</summary>
    NonFinite,
    /// <summary>R = +∞: the largest eigenvalue reaches 2(1+β)/η.</summary>
    BeyondStabilityLimit,
}

/// <summary>The sentences of <see cref="EstimateStop"/>.</summary>
public static class EstimateStops
{
    public static string Sentence(this EstimateStop stop) => stop switch
    {
        EstimateStop.Exact => "computed exactly",
        EstimateStop.TargetReached => "relative standard error target reached",
        EstimateStop.BudgetSpent => "budget spent (no target)",
        EstimateStop.BudgetBeforeTarget => "budget spent before the relative standard error target",
        EstimateStop.NonFinite => "non-finite sample",
        EstimateStop.BeyondStabilityLimit => "R = +infinity: lambda_max reaches 2(1+beta)/eta",
        _ => throw new ArgumentOutOfRangeException(nameof(stop), stop, "unknown stop"),
    };

    /// <summary>Whether the value is as good as was asked: exact, or the target reached.</summary>
    public static bool ReachedTarget(this EstimateStop stop) => stop is EstimateStop.Exact or EstimateStop.TargetReached;
}
