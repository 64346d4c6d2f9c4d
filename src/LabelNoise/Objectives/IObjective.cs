using LabelNoise.Curvature;

namespace LabelNoise.Objectives;

/// <summary>
/// A training loss L(θ) = (1/n) Σ ℓᵢ(θ) on a fixed evaluation set, at a settable point θ: what the
/// curvature and theory code measures. Operators returned by <see cref="Hessian"/> and
/// <see cref="GaussNewton"/> act at the point current when they were made, and must not be used
/// after <see cref="SetParameters"/>.
/// </summary>
public interface IObjective : IDisposable
{
    int Dimension { get; }
    IReadOnlyList<ParameterBlock> Blocks { get; }

    /// <summary>The number of examples L averages over.</summary>
    int ExampleCount { get; }

    double[] GetParameters();
    void SetParameters(ReadOnlySpan<double> parameters);

    double Loss();
    double[] Gradient();

    /// <summary>∇²L at the current point, as Hessian-vector products.</summary>
    ILinearOperator Hessian();

    /// <summary>The Gauss–Newton term G = (1/n) Σ Jᵢᵀ Hᵢ Jᵢ (Hᵢ: the loss's Hessian in the outputs; 1 for squared error).</summary>
    ILinearOperator GaussNewton();

    /// <summary>∇θ tr(M ∇²L(θ)) for a fixed symmetric P×P matrix M (the third-derivative contraction ∇³L[M]).</summary>
    double[] HessianTraceGradient(double[,] m);

    /// <summary>tr ∇²L at the current point computed exactly without Hessian-vector products, where the model allows it; null otherwise.</summary>
    ExactTrace? ExactHessianTrace() => null;
}
