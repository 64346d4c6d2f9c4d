using LabelNoise.Data;
using LabelNoise.Randomness;

namespace LabelNoise.Noise;

/// <summary>
/// A label-noise model: given the examples of a batch, the targets the step will fit. It draws
/// its randomness from the generator it is given, fresh for every sampled index at every step
/// (Algorithm 1), and never touches the model or the optimizer.
/// </summary>
public interface ILabelNoise
{
    /// <summary>A short description in the command line's syntax, e.g. "pm:0.5".</summary>
    string Spec { get; }

    /// <summary>σ² of the perturbation (regression), 1 for label flipping; enters λ = ησ²/B.</summary>
    double Variance { get; }

    BatchTargets Perturb(Dataset data, IReadOnlyList<int> batch, RandomStream generator);

    /// <summary>
    /// The same targets from the same draws, written into <paramref name="reuse"/> (the previous step's targets) where this
    /// model can, so that a training loop allocates nothing per step (10M steps of the quadratic model: 142 gen-0
    /// collections before, 1 after; every collection stops all threads of the process). By default a new object.
    /// </summary>
    BatchTargets Perturb(Dataset data, IReadOnlyList<int> batch, RandomStream generator, BatchTargets? reuse) => Perturb(data, batch, generator);
}
