using LabelNoise.Data;
using static TorchSharp.torch;

namespace LabelNoise.Models;

/// <summary>What a model's output on <c>count</c> examples must look like for the data: [count, classes] logits, or one value per example.</summary>
public static class OutputShape
{
    /// <summary>One sentence with both shapes when <paramref name="output"/> does not fit <paramref name="data"/>.</summary>
    public static void Check(Tensor output, Dataset data, int count)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(data);
        string shape = "[" + string.Join(", ", output.shape) + "]";
        if (data is ClassificationDataset c)
        {
            if (output.dim() != 2 || output.shape[0] != count || output.shape[1] != c.ClassCount)
                throw new SettingException($"the model's output has shape {shape} for {count} examples, but {data.Name} needs [{count}, {c.ClassCount}] (one logit per class)");
        }
        else if (output.numel() != count)
            throw new SettingException($"the model's output has shape {shape} for {count} examples, but {data.Name} is regression and needs one value per example ([{count}])");
    }
}
