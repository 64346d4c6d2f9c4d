using LabelNoise.Curvature;
using LabelNoise.Objectives;

namespace LabelNoise.Theory;

/// <summary>
/// Everything eq. (1) defines at one point, computed exactly from the dense Hessian of a small model.
/// <see cref="Regularizer"/> is +∞ (and the gradients null) when η'·λ_max ≥ 2.
/// </summary>
public sealed record RegularizedPoint(
    double Loss,
    double[] Gradient,
    double[] HessianEigenvalues,
    double Lambda,
    double Regularizer,
    double[]? RegularizerGradient,
    double RegularizedLoss,
    double[]? RegularizedGradient)
{
    public bool IsFinite => double.IsFinite(Regularizer);
}

/// <summary>
/// The regularized loss L̃ = L + λR of eq. (1) for a small model, exactly: R from the eigenvalues
/// of ∇²L, and ∇R = ½∇³L[h′(∇²L)] with h′(x) = 1/(2 − η'x) (η' = η/(1+β)), the third derivative
/// contracted by the objective.
/// </summary>
public sealed class RegularizedLoss(IObjective objective, RegularizerSettings settings, double lambda)
{
    public IObjective Objective { get; } = objective ?? throw new ArgumentNullException(nameof(objective));
    public RegularizerSettings Settings { get; } = settings ?? throw new ArgumentNullException(nameof(settings));
    public double Lambda { get; } = lambda >= 0 && double.IsFinite(lambda) ? lambda : throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must be finite and ≥ 0");

    /// <summary>L, R, L̃ and (with <paramref name="withGradient"/>) their gradients at the objective's current point.</summary>
    public RegularizedPoint Evaluate(bool withGradient = true)
    {
        var regularizer = new ImplicitRegularizer(Settings);
        double loss = Objective.Loss();
        var gradient = Objective.Gradient();
        var (values, vectors) = DenseSymmetric.Eigh(DenseSymmetric.FromOperator(Objective.Hessian()));
        double r = regularizer.FromEigenvalues(values);
        if (!double.IsFinite(r))
            return new RegularizedPoint(loss, gradient, values, Lambda, double.PositiveInfinity, null, double.PositiveInfinity, null);
        double[]? regularizerGradient = null, regularizedGradient = null;
        if (withGradient)
        {
            var m = DenseSymmetric.Function(values, vectors, regularizer.HPrime);
            regularizerGradient = Objective.HessianTraceGradient(m).Select(g => 0.5 * g).ToArray();
            regularizedGradient = gradient.Select((g, k) => g + Lambda * regularizerGradient[k]).ToArray();
        }
        return new RegularizedPoint(loss, gradient, values, Lambda, r, regularizerGradient, loss + Lambda * r, regularizedGradient);
    }
}
