using System.Globalization;
using LabelNoise.Randomness;

namespace LabelNoise.Data;

/// <summary>The kinds of data a <see cref="DataSpec"/> can name.</summary>
public enum DataKind
{
    FashionMnist,
    Mnist,
    Cifar10,
    Csv,
    Sparse,
    /// <summary>A dict of tensors saved with torch.save: x, y and optionally x_test, y_test (<see cref="TensorFileReader"/>).</summary>
    Tensors,
}

/// <summary>How <see cref="DataSpec.Load"/> prepares the data it reads.</summary>
public sealed record DataOptions
{
    /// <summary>
    /// Training examples to keep: a class-balanced subset for classification (see <see cref="ClassBalancedSubset"/>),
    /// the first rows for regression; null keeps all.
    /// </summary>
    public int? TrainSize { get; init; }

    /// <summary>Test examples to keep, chosen like <see cref="TrainSize"/>; null keeps all, 0 drops the test set (also where the data has none).</summary>
    public int? TestSize { get; init; }

    public PixelScaling Scaling { get; init; } = PixelScaling.UnitInterval;

    /// <summary>Seed of the generator choosing balanced subsets (the training subset from its first split, the test subset from its second).</summary>
    public ulong SubsetSeed { get; init; }
}

/// <summary>
/// A data description from the command line, e.g. <c>fashion-mnist</c>, <c>cifar10:DIR</c>,
/// <c>data.csv</c> or <c>sparse:d=100,n=40,r=5,seed=1</c>. <see cref="Path"/> is the folder or file
/// for the file kinds; D, N, R and Seed are used by <see cref="DataKind.Sparse"/> only.
/// </summary>
public sealed record DataSpec(DataKind Kind, string? Path = null, int D = 100, int N = 40, int R = 5, ulong Seed = 1)
{
    /// <summary>Where the Debian package dataset-fashion-mnist installs the data.</summary>
    public const string DebianFashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    public const string AcceptedForms =
        "fashion-mnist, fashion-mnist:DIR, mnist:DIR, cifar10:DIR, PATH.csv, tensors:FILE.pt, or sparse:d=100,n=40,r=5,seed=1 (keys optional, in any order)";

    /// <summary>Parses a data description; throws ArgumentException naming what is wrong.</summary>
    public static DataSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string spec = text.Trim();
        if (spec.Length == 0) throw new SettingException($"the data spec is empty; expected {AcceptedForms}", nameof(text));

        if (spec.Equals("fashion-mnist", StringComparison.OrdinalIgnoreCase))
            return new DataSpec(DataKind.FashionMnist, DebianFashionMnistFolder);
        if (TryPrefix(spec, "fashion-mnist:", out string? folder))
            return new DataSpec(DataKind.FashionMnist, folder);
        if (TryPrefix(spec, "mnist:", out folder))
            return new DataSpec(DataKind.Mnist, folder);
        if (TryPrefix(spec, "cifar10:", out folder))
            return new DataSpec(DataKind.Cifar10, folder);
        if (TryPrefix(spec, "tensors:", out string? file))
            return new DataSpec(DataKind.Tensors, System.IO.Path.GetFullPath(file!));
        if (spec.Equals("sparse", StringComparison.OrdinalIgnoreCase)
            || spec.StartsWith("sparse:", StringComparison.OrdinalIgnoreCase))
            return ParseSparse(spec, spec.Length > "sparse".Length ? spec["sparse:".Length..] : "");
        if (spec.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            return new DataSpec(DataKind.Csv, spec);

        throw new SettingException($"unknown data spec '{text}'; expected {AcceptedForms}", nameof(text));
    }

    /// <summary>Reads (or generates) the data and applies <paramref name="options"/>.</summary>
    public DataSplit Load(DataOptions? options = null)
    {
        options ??= new DataOptions();
        if (options.TrainSize is < 0) throw new SettingException("TrainSize must not be negative", nameof(options));
        if (options.TestSize is < 0) throw new SettingException("TestSize must not be negative", nameof(options));

        DataSplit split = Kind switch
        {
            DataKind.FashionMnist => IdxReader.ReadFolder(Path!, options.Scaling, "fashion-mnist"),
            DataKind.Mnist => IdxReader.ReadFolder(Path!, options.Scaling, "mnist"),
            DataKind.Cifar10 => Cifar10Reader.ReadFolder(Path!, options.Scaling, "cifar10"),
            DataKind.Csv => CsvRegressionReader.Load(Path!),
            DataKind.Sparse => SparseRegressionGenerator.Generate(D, N, R, Seed),
            DataKind.Tensors => TensorFileReader.Load(Path!),
            _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown data kind"),
        };

        var root = new RandomStream(options.SubsetSeed);
        var trainGenerator = root.Split();
        var testGenerator = root.Split();
        var train = Reduce(split.Train, options.TrainSize, trainGenerator, "TrainSize", "the training-set size");
        Dataset? test = split.Test;
        if (options.TestSize == 0) test = null; // no test set wanted: fine for data that has none, too
        else if (options.TestSize is int testSize)
        {
            if (test is null)
                throw new SettingException($"a test set of {testSize} examples was asked for but {this} has no test set", nameof(options));
            test = Reduce(test, testSize, testGenerator, "TestSize", "the test-set size");
        }
        return new DataSplit(train, test);
    }

    /// <summary>The spec in the form <see cref="Parse"/> reads.</summary>
    public override string ToString() => Kind switch
    {
        DataKind.FashionMnist when Path == DebianFashionMnistFolder => "fashion-mnist",
        DataKind.FashionMnist => $"fashion-mnist:{Path}",
        DataKind.Mnist => $"mnist:{Path}",
        DataKind.Cifar10 => $"cifar10:{Path}",
        DataKind.Csv => Path ?? "",
        DataKind.Tensors => $"tensors:{Path}",
        DataKind.Sparse => string.Create(CultureInfo.InvariantCulture, $"sparse:d={D},n={N},r={R},seed={Seed}"),
        _ => Kind.ToString(),
    };

    static Dataset Reduce(Dataset data, int? size, RandomStream generator, string parameter, string what)
    {
        if (size is not int n) return data;
        if (n > data.Count)
            throw new SettingException($"{what} {n} is larger than the {data.Count} examples of {data.Name}", parameter);
        int[] indices = data is ClassificationDataset classification
            ? ClassBalancedSubset.Select(classification, n, generator)
            : [.. Enumerable.Range(0, n)];
        return data.Subset(indices, $"{data.Name}[{n}]");
    }

    static bool TryPrefix(string spec, string prefix, out string? rest)
    {
        rest = null;
        if (!spec.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return false;
        rest = spec[prefix.Length..].Trim();
        if (rest.Length == 0)
            throw new SettingException($"the data spec '{spec}' names no folder after '{prefix}'; expected {AcceptedForms}", "text");
        return true;
    }

    static DataSpec ParseSparse(string spec, string arguments)
    {
        var result = new DataSpec(DataKind.Sparse);
        var seen = new HashSet<string>();
        foreach (string raw in arguments.Split(',', StringSplitOptions.TrimEntries))
        {
            if (raw.Length == 0) continue;
            int eq = raw.IndexOf('=');
            if (eq < 0)
                throw new SettingException($"'{raw}' in '{spec}' is not KEY=VALUE; the keys are d, n, r and seed", "text");
            string key = raw[..eq].Trim().ToLowerInvariant();
            string value = raw[(eq + 1)..].Trim();
            if (!seen.Add(key)) throw new SettingException($"key '{key}' is given twice in '{spec}'", "text");
            result = key switch
            {
                "d" => result with { D = ParseInt(key, value, spec) },
                "n" => result with { N = ParseInt(key, value, spec) },
                "r" => result with { R = ParseInt(key, value, spec) },
                "seed" => result with
                {
                    Seed = ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed)
                        ? seed
                        : throw new SettingException($"seed '{value}' in '{spec}' is not a non-negative integer", "text"),
                },
                _ => throw new SettingException($"unknown key '{key}' in '{spec}'; the keys are d, n, r and seed", "text"),
            };
        }
        if (result.D < 1) throw new SettingException($"d={result.D} in '{spec}' must be at least 1", "text");
        if (result.N < 1) throw new SettingException($"n={result.N} in '{spec}' must be at least 1", "text");
        if (result.R < 1 || result.R > result.D)
            throw new SettingException($"r={result.R} in '{spec}' must be in 1..d = 1..{result.D}", "text");
        return result;
    }

    static int ParseInt(string key, string value, string spec) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number)
            ? number
            : throw new SettingException($"{key} '{value}' in '{spec}' is not an integer", "text");
}
