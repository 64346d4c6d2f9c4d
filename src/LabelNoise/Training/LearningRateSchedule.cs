using System.Globalization;

namespace LabelNoise.Training;

/// <summary>
/// A constant learning rate, multiplied by a factor at given steps: "100000:0.1,200000:0.1" is
/// HaoChen et al.'s η ÷ 10 at 100k and again at 200k steps.
/// </summary>
public sealed record LearningRateSchedule(double Initial, IReadOnlyList<(long Step, double Factor)> Decays)
{
    public static LearningRateSchedule Parse(double initial, string? decays)
    {
        if (!(initial > 0) || double.IsInfinity(initial)) throw new SettingException($"the learning rate η must be a positive number, not {initial.ToString(CultureInfo.InvariantCulture)}");
        var list = new List<(long, double)>();
        if (!string.IsNullOrWhiteSpace(decays))
            foreach (var item in decays.Split(',', StringSplitOptions.TrimEntries))
            {
                var parts = item.Split(':');
                if (parts.Length != 2
                    || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long step)
                    || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double factor)
                    || !(factor > 0) || double.IsInfinity(factor))
                    throw new SettingException($"--lr-decay item '{item}' is not step:factor with a positive factor, e.g. 100000:0.1");
                list.Add((step, factor));
            }
        return new LearningRateSchedule(initial, list.OrderBy(d => d.Item1).ToArray());
    }

    public double At(long step)
    {
        double rate = Initial;
        foreach (var (decayStep, factor) in Decays)
            if (step >= decayStep) rate *= factor;
        return rate;
    }
}
