using LabelNoise.Curvature;
using LabelNoise.Measurement;

namespace LabelNoise.Experiments;

/// <summary>Which estimator <see cref="EscapeCurvature"/> uses for tr ∇²L and R.</summary>
public enum CurvatureEstimator
{
    /// <summary>
    /// The library's best (<see cref="CurvatureMeasurer"/>, estimator auto): tr ∇²L exactly where the model allows it (a ReLU
    /// MLP: tr ∇²L = tr G, no probes), else adaptively deflated probes; R = tr ∇²L/4 + SLQ on the remainder r(x) − x/4, with
    /// the same product budget as the shared SLQ (<see cref="CurvatureSettings.Products"/>), stopping early at 2 % relative SE.
    /// On a bare operator (no model to take the trace from) it is <see cref="SharedDeflatedSlq"/>.
    /// </summary>
    Library,

    /// <summary>
    /// Deflated SLQ with shared probes: a Lanczos run gives λ_max (the R = +∞ guard) and the top <see cref="CurvatureSettings.Deflation"/>
    /// Ritz vectors Q; tr f(H) = Σⱼ qⱼᵀf(H)qⱼ + E[wᵀf(H)w] with w = (I − QQᵀ)v for Rademacher v; every probe's Gauss quadrature gives
    /// wᵀHw exactly (degree 1) and wᵀr(H)w, so tr ∇²L and R come from the same products.
    /// </summary>
    SharedDeflatedSlq,

    /// <summary>The plain estimators: Hutchinson for tr ∇²L and, with separate probes, SLQ for R (products: probes + probes × steps + guard).</summary>
    HutchinsonAndSlq,
}
