using LabelNoise.Data;
using LabelNoise.Noise;

namespace LabelNoise.Training;

/// <summary>
/// A model bound to its training set and its (heavy-ball) SGD state. The trainer composes
/// sample → perturb → <see cref="Step"/>; a learner never draws random numbers itself.
/// </summary>
public interface ILearner : IDisposable
{
    int ParameterCount { get; }

    /// <summary>
    /// One step on the examples <paramref name="batch"/> of the training set with the given targets:
    /// v ← βv + ∇L̂, θ ← θ − ηv (PyTorch's heavy ball; β = 0 is plain SGD). Returns L̂ before the step.
    /// </summary>
    double Step(IReadOnlyList<int> batch, BatchTargets targets, double learningRate, double momentum);

    /// <summary>∇L̂ of the batch with the given targets at the current parameters (nothing changes).</summary>
    double[] Gradient(IReadOnlyList<int> batch, BatchTargets targets);

    /// <summary>Clean-label loss (and accuracy, and ∇L's norm when <paramref name="withGradient"/>) on a data set.</summary>
    Evaluation Evaluate(Dataset data, bool withGradient);

    /// <summary>All parameters as one flat float64 vector, in the model's documented order.</summary>
    double[] GetParameters();

    void SetParameters(ReadOnlySpan<double> parameters);

    /// <summary>Writes parameters and optimizer state to files in <paramref name="folder"/>.</summary>
    void SaveState(string folder);

    void LoadState(string folder);
}
