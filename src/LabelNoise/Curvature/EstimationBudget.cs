namespace LabelNoise.Curvature;

/// <summary>
/// How far an estimator goes: until the relative standard error is at most <see cref="TargetRelativeStandardError"/>
/// (checked from <see cref="MinSamples"/> samples on), or until <see cref="MaxProducts"/> operator products are
/// spent, whichever comes first. Without a target, the estimator spends the budget.
/// </summary>
public sealed record EstimationBudget
{
    public EstimationBudget(double? targetRelativeStandardError, int maxProducts, int minSamples = DefaultMinSamples)
    {
        if (targetRelativeStandardError is double target && !(target > 0 && double.IsFinite(target)))
            throw new ArgumentOutOfRangeException(nameof(targetRelativeStandardError), target, "the target relative standard error must be positive and finite");
        if (maxProducts < 1) throw new ArgumentOutOfRangeException(nameof(maxProducts), maxProducts, "the product budget must be at least 1");
        if (minSamples < 2) throw new ArgumentOutOfRangeException(nameof(minSamples), minSamples, "a standard error needs at least two samples");
        TargetRelativeStandardError = targetRelativeStandardError;
        MaxProducts = maxProducts;
        MinSamples = minSamples;
    }

    /// <summary>
    /// Samples before the target is checked: a standard error from fewer is itself too noisy, and stopping on a
    /// lucky small one makes ±2 SE cover less than 95 % (measured: 89–93 % from 10 samples, the coverage test).
    /// </summary>
    public const int DefaultMinSamples = 20;

    /// <summary>
    /// Samples from which the target may be met early, with the standard error inflated for its few samples
    /// (<see cref="ProbeOptions.EarlyProbes"/>); null: never before <see cref="MinSamples"/>.
    /// </summary>
    public int? EarlySamples { get; init; }

    public double? TargetRelativeStandardError { get; }
    public int MaxProducts { get; }
    public int MinSamples { get; }

    /// <summary>Until the target (at most <paramref name="maxProducts"/> products).</summary>
    public static EstimationBudget UntilRelativeStandardError(double target, int maxProducts = 100_000, int minSamples = DefaultMinSamples) =>
        new(target, maxProducts, minSamples);

    /// <summary>Exactly as many products as the estimator can place within <paramref name="products"/>.</summary>
    public static EstimationBudget Products(int products, int minSamples = DefaultMinSamples) => new(null, products, minSamples);

    /// <summary>Probe options for probes of <paramref name="productsPerProbe"/> products each after <paramref name="used"/> products were spent: as many as the budget leaves (at least 2).</summary>
    public ProbeOptions Probes(int used, int productsPerProbe)
    {
        int left = Math.Max(0, MaxProducts - used) / Math.Max(1, productsPerProbe);
        int max = Math.Max(2, left);
        return TargetRelativeStandardError is double target
            ? new ProbeOptions(Math.Min(MinSamples, max), max, target) { EarlyProbes = EarlySamples }
            : ProbeOptions.Fixed(max);
    }
}
