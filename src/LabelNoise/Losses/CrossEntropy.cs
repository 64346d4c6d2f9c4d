using static TorchSharp.torch;
using LabelNoise.Native;

namespace LabelNoise.Losses;

/// <summary>
/// Cross entropy with hard or smoothed targets. With flip probability p the smoothed target puts
/// 1 − p on the true class and p/(C − 1) on each other; the loss we *report* is then smoothed cross
/// entropy minus its minimum (= KL(target ‖ softmax)), whose global minimum is exactly 0.
/// </summary>
public static class CrossEntropy
{
    /// <summary>Sum over the batch of −log softmax(logits)[label].</summary>
    public static Tensor Sum(Tensor logits, Tensor labels) =>
        nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum);

    /// <summary>Sum over the batch of the smoothed cross entropy −Σ_c q_c log softmax_c.</summary>
    public static Tensor SmoothedSum(Tensor logits, Tensor labels, double flipProbability)
    {
        int classes = (int)logits.shape[1];
        if (flipProbability == 0) return Sum(logits, labels);
        var logProbabilities = nn.functional.log_softmax(logits, 1);
        var onTrue = logProbabilities.gather(1, labels.unsqueeze(1)).squeeze(1);
        var all = logProbabilities.sum(1);
        double other = flipProbability / (classes - 1);
        using var onTrueWeight = KeptScalar.Of(1 - flipProbability - other);
        using var otherWeight = KeptScalar.Of(other);
        return KeptScalar.Plus(onTrue.mul(onTrueWeight), all.mul(otherWeight)).sum().neg();
    }

    /// <summary>The minimum over logits of the smoothed cross entropy: the entropy of the smoothed target.</summary>
    public static double SmoothedMinimum(double flipProbability, int classes)
    {
        if (flipProbability == 0) return 0;
        return -(1 - flipProbability) * Math.Log(1 - flipProbability) - flipProbability * Math.Log(flipProbability / (classes - 1));
    }
}
