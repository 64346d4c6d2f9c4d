namespace LabelNoise.Randomness;

/// <summary>
/// A seeded pseudo-random generator (xoshiro256**) whose whole state is four numbers, so that a
/// checkpoint can save it and a resumed run continues the same stream. Library code never seeds
/// anything globally: every stochastic routine takes one of these.
/// </summary>
public sealed class RandomStream
{
    ulong s0, s1, s2, s3;

    public RandomStream(ulong seed)
    {
        ulong x = seed;
        s0 = SplitMix(ref x); s1 = SplitMix(ref x); s2 = SplitMix(ref x); s3 = SplitMix(ref x);
    }

    RandomStream(ulong[] state) => (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3]);

    /// <summary>The generator's state, for checkpoints.</summary>
    public ulong[] State => [s0, s1, s2, s3];

    public static RandomStream FromState(IReadOnlyList<ulong> state)
    {
        if (state.Count != 4) throw new ArgumentException($"a generator state has 4 words, not {state.Count}", nameof(state));
        if (state.All(w => w == 0)) throw new ArgumentException("the all-zero generator state is invalid", nameof(state));
        return new RandomStream(state.ToArray());
    }

    /// <summary>An independent generator for a sub-task, derived from this one's next output.</summary>
    public RandomStream Split() => new(NextUInt64());

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
        s3 = RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n), without modulo bias.</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "the range must be positive");
        ulong bound = (ulong)n;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            UInt128 product = (UInt128)r * bound;
            if ((ulong)product >= threshold) return (int)(product >> 64);
        }
    }

    /// <summary>+1 or −1 with equal probability.</summary>
    public double NextSign() => (NextUInt64() >> 63) == 0 ? 1.0 : -1.0;

    /// <summary>Standard normal (Box–Muller; one output per call so the state stays four words).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A uniformly random permutation of 0..n−1 (Fisher–Yates).</summary>
    public int[] Permutation(int n)
    {
        var p = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }

    static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
