using LabelNoise.Data;

namespace LabelNoise.Noise;

/// <summary>The un-noised targets of a batch, for either kind of data set.</summary>
public static class CleanTargets
{
    public static BatchTargets Of(Dataset data, IReadOnlyList<int> batch) => data switch
    {
        RegressionDataset r => new RegressionTargets(batch.Select(i => r.Targets[i]).ToArray()),
        ClassificationDataset c => new HardLabels(batch.Select(i => c.Labels[i]).ToArray()),
        _ => throw new ArgumentException($"unsupported data set type {data.GetType().Name}", nameof(data)),
    };

    public static RegressionDataset Regression(Dataset data, ILabelNoise noise) => data as RegressionDataset
        ?? throw new SettingException($"noise '{noise.Spec}' perturbs real targets, but {data.Name} is a classification data set (use flip:p)");

    public static ClassificationDataset Classification(Dataset data, ILabelNoise noise) => data as ClassificationDataset
        ?? throw new SettingException($"noise '{noise.Spec}' flips class labels, but {data.Name} is a regression data set (use pm:σ or gauss:σ)");
}
