using LabelNoise.Models;
using LabelNoise.Training;
using TorchSharp;
using static TorchSharp.torch;
using LabelNoise.Native;

namespace LabelNoise.Experiments;

/// <summary>
/// The exponential moving average of a learner's parameters, θ̄ ← dθ̄ + (1 − d)θ after every step, started at the
/// parameters it is made at: the averaged iterate that removes most of label noise's stationary fluctuation.
/// It owns its tensors; <see cref="Evaluate"/> puts θ̄ into the model for one evaluation and restores θ bit for bit.
/// </summary>
public sealed class ParameterAverage : IDisposable
{
    readonly TorchSharp.Modules.Parameter[] parameters;
    readonly Tensor[] average;
    readonly Scalar decay;
    readonly Scalar complement;

    public ParameterAverage(TorchLearner learner, double decay)
    {
        ArgumentNullException.ThrowIfNull(learner);
        if (!(decay > 0 && decay < 1)) throw new ArgumentOutOfRangeException(nameof(decay), decay, "the decay per step must lie in (0, 1)");
        Decay = decay;
        parameters = learner.Model.parameters().ToArray();
        using (no_grad()) average = parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
        this.decay = KeptScalar.Of(decay);
        complement = KeptScalar.Of(1 - decay);
    }

    public double Decay { get; }

    /// <summary>θ̄ ← dθ̄ + (1 − d)θ.</summary>
    public void Update()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        for (int k = 0; k < parameters.Length; k++) average[k].mul_(decay).add_(parameters[k], complement);
    }

    /// <summary><paramref name="evaluate"/> with the model at θ̄; the model is back at θ afterwards.</summary>
    public T Evaluate<T>(Func<T> evaluate)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        using var scope = NewDisposeScope();
        Tensor[] current;
        using (no_grad())
        {
            current = parameters.Select(p => p.detach().clone()).ToArray();
            for (int k = 0; k < parameters.Length; k++) parameters[k].copy_(average[k]);
        }
        try { return evaluate(); }
        finally
        {
            using (no_grad())
                for (int k = 0; k < parameters.Length; k++) parameters[k].copy_(current[k]);
        }
    }

    public void Dispose()
    {
        foreach (var a in average) a.Dispose();
        decay.Dispose();
        complement.Dispose();
    }
}
