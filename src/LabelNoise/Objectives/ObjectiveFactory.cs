using System.Globalization;
using LabelNoise.Data;
using LabelNoise.Models;

namespace LabelNoise.Objectives;

/// <summary>The objective L of a built model on a data set at given parameters: what <c>measure</c> and library users measure.</summary>
public static class ObjectiveFactory
{
    /// <summary>
    /// L of <paramref name="built"/> on <paramref name="data"/> at <paramref name="parameters"/> (null: the model's own), with labels flipped
    /// with probability <paramref name="flipProbability"/> for classification (the smoothed loss; 0: plain cross entropy). The parameters go
    /// into a network before its objective is built, so that the gradient self-check runs at the measured point.
    /// </summary>
    public static IObjective Create(BuiltModel built, Dataset data, double[]? parameters, double flipProbability = 0)
    {
        ArgumentNullException.ThrowIfNull(built);
        ArgumentNullException.ThrowIfNull(data);
        if (!(flipProbability >= 0 && flipProbability < 1))
            throw new SettingException(string.Create(CultureInfo.InvariantCulture, $"the flip probability must lie in [0, 1), not {flipProbability}"));
        if (flipProbability > 0 && data is not ClassificationDataset)
            throw new SettingException($"label flipping needs a classification data set; {data.Name} is regression");
        if (built.Hand is { } hand)
        {
            if (data is not RegressionDataset regression) throw new SettingException($"the {hand.GetType().Name} model is for regression; {data.Name} is classification");
            return new HandObjective(hand, regression, parameters ?? hand.DefaultParameters());
        }
        var network = built.Network!;
        if (parameters is not null) FlatParameters.Write(network.parameters().ToArray(), parameters);
        return new TorchObjective(network, data, flipProbability);
    }

    /// <summary>The loss L on <paramref name="data"/> in words (what a measurement reports next to its numbers).</summary>
    public static string LossName(Dataset data, double flipProbability) => data switch
    {
        ClassificationDataset when flipProbability > 0 => string.Create(CultureInfo.InvariantCulture,
            $"smoothed cross entropy (expected loss under label flipping with p = {flipProbability})"),
        ClassificationDataset => "cross entropy",
        _ => "squared error ½(f − y)²",
    };
}
