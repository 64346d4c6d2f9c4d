namespace LabelNoise.Curvature;

/// <summary>The estimators of tr ∇²L and R(θ) a user can choose (<c>--estimator</c>).</summary>
public enum CurvatureEstimator
{
    /// <summary>The best available: exact tr ∇²L where the model allows it, else adaptively deflated probes.</summary>
    Auto,
    /// <summary>Rademacher Hutchinson probes (for R: plain SLQ, one quadrature per probe) — what PyHessian does.</summary>
    Hutchinson,
    /// <summary>Hutch++ (Meyer, Musco, Musco, Woodruff 2021): a sketch's range computed exactly, Hutchinson on the rest.</summary>
    HutchPlusPlus,
    /// <summary>XTrace (Epperly, Tropp, Webber 2024): exchangeable low-rank + Hutchinson, error from the spread of its m estimates.</summary>
    XTrace,
    /// <summary>Plain stochastic Lanczos quadrature (for the trace, one step: Hutchinson).</summary>
    Slq,
    /// <summary>Probes deflated by a Krylov space whose size is chosen from the spectrum (<see cref="AdaptiveDeflation"/>).</summary>
    DeflatedSlq,
}

/// <summary>The command-line names of <see cref="CurvatureEstimator"/>.</summary>
public static class CurvatureEstimatorNames
{
    static readonly (string Name, CurvatureEstimator Kind)[] Table =
    [
        ("auto", CurvatureEstimator.Auto), ("hutchinson", CurvatureEstimator.Hutchinson), ("hutch++", CurvatureEstimator.HutchPlusPlus),
        ("xtrace", CurvatureEstimator.XTrace), ("slq", CurvatureEstimator.Slq), ("deflated-slq", CurvatureEstimator.DeflatedSlq),
    ];

    public static IReadOnlyList<string> Names => Table.Select(t => t.Name).ToArray();

    public static string Name(this CurvatureEstimator kind) => Table.First(t => t.Kind == kind).Name;

    /// <summary>The estimator named <paramref name="name"/> (case-insensitive); one sentence naming the choices otherwise.</summary>
    public static CurvatureEstimator Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (n, kind) in Table)
            if (string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase)) return kind;
        throw new SettingException($"the estimator must be one of {string.Join(", ", Names)}, not '{name}'");
    }
}
