using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace LabelNoise.Data;

/// <summary>
/// A short hash of a data set's contents (shape, features, labels or targets): a checkpoint records the
/// fingerprint of the data it was trained on, so that a resume on other data is refused. Computed once
/// per data set object (SHA-256 runs at well over 1 GB/s: ~0.1 s for all of Fashion-MNIST).
/// </summary>
internal static class DataFingerprint
{
    static readonly ConditionalWeakTable<Dataset, string> Cache = [];

    public static string Of(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Cache.GetValue(data, Compute);
    }

    static string Compute(Dataset data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(MemoryMarshal.AsBytes<int>([data.Count, .. data.SampleShape]));
        switch (data)
        {
            case ClassificationDataset c:
                hash.AppendData(MemoryMarshal.AsBytes<int>([c.ClassCount]));
                hash.AppendData(MemoryMarshal.AsBytes(c.Features.AsSpan()));
                hash.AppendData(MemoryMarshal.AsBytes(c.Labels.AsSpan()));
                break;
            case RegressionDataset r:
                hash.AppendData(MemoryMarshal.AsBytes(r.Features.AsSpan()));
                hash.AppendData(MemoryMarshal.AsBytes(r.Targets.AsSpan()));
                break;
            default:
                throw new ArgumentException($"no fingerprint for a data set of type {data.GetType().Name}", nameof(data));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
