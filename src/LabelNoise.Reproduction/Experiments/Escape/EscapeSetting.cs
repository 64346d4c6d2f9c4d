using LabelNoise.Data;
using LabelNoise.Models;

namespace LabelNoise.Experiments;

/// <summary>The data, model and measurement settings shared by every run of an escape experiment (defaults: the laptop setting).</summary>
public sealed record EscapeSetting
{
    /// <summary>A <see cref="DataSpec"/> (fashion-mnist, cifar10:DIR, …).</summary>
    public string Data { get; init; } = "fashion-mnist";

    /// <summary>Class-balanced training examples (null: all).</summary>
    public int? TrainSize { get; init; } = 4000;

    /// <summary>Class-balanced test examples (null: all).</summary>
    public int? TestSize { get; init; } = 10000;

    /// <summary>How pixels are scaled (standardized: zero mean and unit variance over the training set, as the reference PyTorch run).</summary>
    public PixelScaling Scaling { get; init; } = PixelScaling.Standardized;

    /// <summary>
    /// A <see cref="ModelSpec"/> (mlp:W1,W2 | cnn | resnet18). The laptop default is 784-256-256-10 rather than the reference run's
    /// 512-512: its steps are cheaper and its escape is no smaller (the measurements: docs/reproduction.md, "Escape: why these defaults").
    /// </summary>
    public string Model { get; init; } = "mlp:256,256";

    /// <summary>p: of label flipping, of the smoothed control, and of the smoothed loss L that every curvature number measures.</summary>
    public double FlipProbability { get; init; } = 0.2;

    /// <summary>B of the escape runs (drawn with replacement, Algorithm 1).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>How tr ∇²L and R are measured.</summary>
    public CurvatureSettings Curvature { get; init; } = new();

    /// <summary>Batches of the tr_G proxy (official code's B·(E‖noisy grad‖² − E‖clean grad‖²)).</summary>
    public int ProxyBatches { get; init; } = 8;

    public void Validate()
    {
        DataSpec.Parse(Data);
        ModelSpec.Parse(Model);
        if (TrainSize is < 1) throw new ArgumentOutOfRangeException(nameof(TrainSize), TrainSize, "the training set needs at least one example");
        if (TestSize is < 1) throw new ArgumentOutOfRangeException(nameof(TestSize), TestSize, "the test set needs at least one example");
        if (!(FlipProbability > 0 && FlipProbability < 1)) throw new ArgumentOutOfRangeException(nameof(FlipProbability), FlipProbability, "p must lie in (0, 1)");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "B must be ≥ 1");
        if (ProxyBatches < 2) throw new ArgumentOutOfRangeException(nameof(ProxyBatches), ProxyBatches, "a standard error needs at least 2 batches");
        Curvature.Validate();
    }
}
