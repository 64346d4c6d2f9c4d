using LabelNoise.Randomness;

namespace LabelNoise.Data;

/// <summary>
/// The synthetic sparse linear regression data of HaoChen et al.: x ~ N(0, I_d), ground truth
/// w* with its first r coordinates 1 and the rest 0, and y = ⟨w*, x⟩ exactly (no noise).
/// </summary>
public static class SparseRegressionGenerator
{
    public const int DefaultTestSize = 1000;

    /// <summary>
    /// <paramref name="n"/> training examples and <paramref name="testSize"/> test examples (none, and a
    /// null test set, when 0). A generator seeded with <paramref name="seed"/> is split twice: the first
    /// child draws the training set and the second the test set, so the training set does not depend on the test size.
    /// </summary>
    public static DataSplit Generate(int d, int n, int r, ulong seed, int testSize = DefaultTestSize)
    {
        Check(d, r);
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "the number of examples n must be at least 1");
        if (testSize < 0) throw new ArgumentOutOfRangeException(nameof(testSize), testSize, "the test size must not be negative");

        var root = new RandomStream(seed);
        var trainGenerator = root.Split();
        var testGenerator = root.Split();
        string name = $"sparse(d={d},n={n},r={r},seed={seed})";
        var train = Draw(d, n, r, trainGenerator, $"{name}/train");
        var test = testSize == 0 ? null : Draw(d, testSize, r, testGenerator, $"{name}/test");
        return new DataSplit(train, test);
    }

    /// <summary>w*: length <paramref name="d"/>, the first <paramref name="r"/> coordinates 1, the rest 0.</summary>
    public static double[] GroundTruth(int d, int r)
    {
        Check(d, r);
        var w = new double[d];
        Array.Fill(w, 1.0, 0, r);
        return w;
    }

    /// <summary><paramref name="count"/> examples drawn from <paramref name="generator"/>, row by row.</summary>
    public static RegressionDataset Draw(int d, int count, int r, RandomStream generator, string name)
    {
        Check(d, r);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(generator);
        var features = new double[count * d];
        var targets = new double[count];
        for (int i = 0; i < count; i++)
        {
            double y = 0;
            for (int j = 0; j < d; j++)
            {
                double x = generator.NextGaussian();
                features[i * d + j] = x;
                if (j < r) y += x;
            }
            targets[i] = y;
        }
        return new RegressionDataset(name, d, features, targets);
    }

    static void Check(int d, int r)
    {
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), d, "the number of features d must be at least 1");
        if (r < 1 || r > d) throw new ArgumentOutOfRangeException(nameof(r), r, $"the support size r must be in 1..d = 1..{d}");
    }
}
