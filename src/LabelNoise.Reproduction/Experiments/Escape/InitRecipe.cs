namespace LabelNoise.Experiments;

/// <summary>
/// How the two poor zero-loss initializations are built (defaults: the laptop recipe, after the reference PyTorch run:
/// memorize 10 zeroed random-label copies with η 0.05, β 0.9, B 128 to 90 %, fit the true labels with η 0.01, polish with plain SGD).
/// </summary>
public sealed record InitRecipe
{
    /// <summary>Full-batch gradient descent (clean cross entropy) from a random initialization; <see cref="SgdPhase.BatchSize"/> is ignored.</summary>
    public SgdPhase FullBatch { get; init; } = new() { LearningRate = 0.2, Momentum = 0.9, BatchSize = 1, MaxSteps = 2_000 };

    /// <summary>Full-batch GD has converged when its clean training loss (mean cross entropy) is at most this…</summary>
    public double MinimizerLoss { get; init; } = 1e-3;

    /// <summary>… and its parameters moved by at most this fraction of their norm over the last <see cref="CheckEvery"/> steps.</summary>
    public double MinimizerMovement { get; init; } = 1e-3;

    /// <summary>Copies of the training set in the memorization set (Liu et al.: 10).</summary>
    public int AdversarialCopies { get; init; } = 10;

    /// <summary>Probability that a pixel of a copy is set to 0 (Liu et al.: 10 %).</summary>
    public double ZeroFraction { get; init; } = 0.1;

    /// <summary>Memorizing the random labels; the step cap leaves room for the smaller MLP, which needs more steps to reach the target.</summary>
    public SgdPhase Memorize { get; init; } = new() { LearningRate = 0.05, Momentum = 0.9, BatchSize = 128, MaxSteps = 60_000 };

    /// <summary>Stop memorizing once this accuracy on the random labels is reached (the reference run: 90 %; memorizing further makes a milder init).</summary>
    public double MemorizeTargetAccuracy { get; init; } = 0.9;

    /// <summary>
    /// Fitting the true labels until 100 % training accuracy, with steps small enough to keep the memorized features (a larger η
    /// washes them out and makes a milder init; a smaller one costs many more steps for little: docs/reproduction.md).
    /// </summary>
    public SgdPhase Fit { get; init; } = new() { LearningRate = 0.01, Momentum = 0.9, BatchSize = 128, MaxSteps = 20_000 };

    /// <summary>Plain SGD after that (<see cref="SgdPhase.MaxSteps"/> steps), so that the point is one plain SGD itself does not leave.</summary>
    public SgdPhase Polish { get; init; } = new() { LearningRate = 0.1, BatchSize = 32, MaxSteps = 10_000 };

    /// <summary>Steps between training-accuracy checks while fitting (full-batch GD and the true labels).</summary>
    public int CheckEvery { get; init; } = 25;

    /// <summary>Steps between accuracy checks on the (large) memorization set (a check costs about as much as 100 steps at B = 128).</summary>
    public int MemorizeCheckEvery { get; init; } = 2000;

    public void Validate()
    {
        FullBatch.Validate(nameof(FullBatch));
        Memorize.Validate(nameof(Memorize));
        Fit.Validate(nameof(Fit));
        Polish.Validate(nameof(Polish));
        if (AdversarialCopies < 1) throw new ArgumentOutOfRangeException(nameof(AdversarialCopies), AdversarialCopies, "at least one copy");
        if (!(ZeroFraction >= 0 && ZeroFraction < 1)) throw new ArgumentOutOfRangeException(nameof(ZeroFraction), ZeroFraction, "must be in [0, 1)");
        if (!(MemorizeTargetAccuracy > 0 && MemorizeTargetAccuracy <= 1)) throw new ArgumentOutOfRangeException(nameof(MemorizeTargetAccuracy), MemorizeTargetAccuracy, "must be in (0, 1]");
        if (!(MinimizerLoss > 0)) throw new ArgumentOutOfRangeException(nameof(MinimizerLoss), MinimizerLoss, "must be positive");
        if (!(MinimizerMovement > 0)) throw new ArgumentOutOfRangeException(nameof(MinimizerMovement), MinimizerMovement, "must be positive");
        if (CheckEvery < 1) throw new ArgumentOutOfRangeException(nameof(CheckEvery), CheckEvery, "must be ≥ 1");
        if (MemorizeCheckEvery < 1) throw new ArgumentOutOfRangeException(nameof(MemorizeCheckEvery), MemorizeCheckEvery, "must be ≥ 1");
    }
}
