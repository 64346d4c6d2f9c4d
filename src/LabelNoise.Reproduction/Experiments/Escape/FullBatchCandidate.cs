using System.Globalization;
using LabelNoise.Models;

namespace LabelNoise.Experiments;

/// <summary>One setting tried by the full-batch search: a training-set size, a model and full-batch gradient descent's step.</summary>
public sealed record FullBatchCandidate
{
    public required int TrainSize { get; init; }

    /// <summary>mlp:W,...,W (ReLU) or cnn:W.</summary>
    public required string Model { get; init; }

    /// <summary>Full-batch gradient descent from a random initialization, until it converges (<see cref="InitRecipe.MinimizerLoss"/>, <see cref="InitRecipe.MinimizerMovement"/>) or its steps run out.</summary>
    public required SgdPhase GradientDescent { get; init; }

    /// <summary>Steps of the minibatch-SGD comparison from a random initialization (the escape runs' η and B).</summary>
    public required int SgdSteps { get; init; }

    public void Validate()
    {
        if (TrainSize < 10) throw new ArgumentOutOfRangeException(nameof(TrainSize), TrainSize, "at least 10 examples");
        var spec = ModelSpec.Parse(Model);
        if (spec.Kind is not ("mlp" or "cnn")) throw new ArgumentException($"the full-batch search takes mlp or cnn models, not {Model}", nameof(Model));
        GradientDescent.Validate(nameof(GradientDescent));
        if (SgdSteps < 1) throw new ArgumentOutOfRangeException(nameof(SgdSteps), SgdSteps, "at least one step");
    }

    /// <summary>The setting as a reader reads it, from the numbers the search table stores.</summary>
    public static string Describe(double trainSize, double isCnn, double width, double depth, double learningRate, double momentum) =>
        string.Create(CultureInfo.InvariantCulture,
            $"n = {trainSize:N0}, {(isCnn != 0 ? $"CNN of width {width}" : $"MLP {string.Join("-", Enumerable.Repeat(width, (int)depth))}")}, GD η = {learningRate}{(momentum > 0 ? $", β = {momentum}" : " without momentum")}");
}
