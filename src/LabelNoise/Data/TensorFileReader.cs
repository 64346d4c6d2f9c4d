using System.Collections;
using LabelNoise.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelNoise.Data;

/// <summary>
/// A data set saved from PyTorch: <c>torch.save({"x": x, "y": y}, "data.pt")</c> with x floating point of shape [n, …] and
/// y of shape [n]: int64 class labels in [0, C) (classification, C = max + 1), or floating-point targets (regression); either
/// keeps the example shape. Optional <c>x_test</c>, <c>y_test</c> of the same kinds are the test set. Everything is checked
/// before a data set is built; what does not fit is a <see cref="DataFormatException"/> of one sentence.
/// </summary>
public static class TensorFileReader
{
    public static DataSplit Load(string path)
    {
        TorchSharpLoader.EnsureLoaded();
        using var scope = NewDisposeScope();
        var entries = Read(path);
        if (!entries.ContainsKey("x") || !entries.ContainsKey("y"))
            throw new DataFormatException(path, $"needs tensors 'x' and 'y' (it holds {string.Join(", ", entries.Keys.Order(StringComparer.Ordinal))})");
        if (entries.ContainsKey("x_test") != entries.ContainsKey("y_test"))
            throw new DataFormatException(path, "holds only one of 'x_test' and 'y_test'");
        string name = "tensors:" + System.IO.Path.GetFileName(path);
        var train = Build(path, entries["x"], entries["y"], "x", "y", name + "/train", null);
        var test = entries.ContainsKey("x_test")
            ? Build(path, entries["x_test"], entries["y_test"], "x_test", "y_test", name + "/test", train)
            : null;
        return new DataSplit(train, test);
    }

    static Dataset Build(string path, Tensor x, Tensor y, string xName, string yName, string name, Dataset? train)
    {
        if (!x.is_floating_point()) throw new DataFormatException(path, $"holds '{xName}' as {x.dtype}, not floating point");
        if (x.dim() < 2) throw new DataFormatException(path, $"holds '{xName}' of shape [{string.Join(", ", x.shape)}]; it needs [n, features…]");
        long n = x.shape[0];
        if (y.dim() != 1 && !(y.dim() == 2 && y.shape[1] == 1))
            throw new DataFormatException(path, $"holds '{yName}' of shape [{string.Join(", ", y.shape)}]; it needs [n]");
        if (y.shape[0] != n) throw new DataFormatException(path, $"holds {n} examples in '{xName}' but {y.shape[0]} in '{yName}'");
        if (n == 0) throw new DataFormatException(path, $"holds no examples in '{xName}'");
        var sampleShape = x.shape.Skip(1).Select(d => (int)d).ToArray();
        if (!isfinite(x).all().item<bool>()) throw new DataFormatException(path, $"holds a value in '{xName}' that is not finite");
        if (y.dtype is ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte)
        {
            var labels = y.reshape(-1).to_type(ScalarType.Int32).data<int>().ToArray();
            if (labels.Min() < 0) throw new DataFormatException(path, $"holds a negative class label ({labels.Min()}) in '{yName}'");
            int classes = Math.Max(2, labels.Max() + 1);
            if (train is ClassificationDataset c)
            {
                if (labels.Max() >= c.ClassCount)
                    throw new DataFormatException(path, $"holds the label {labels.Max()} in '{yName}', but the training labels have {c.ClassCount} classes");
                classes = c.ClassCount;
            }
            else if (train is not null) throw new DataFormatException(path, $"holds class labels in '{yName}' but real targets in 'y'");
            if (train is ClassificationDataset trained && !trained.SampleShape.SequenceEqual(sampleShape))
                throw new DataFormatException(path, $"holds '{xName}' examples of shape [{string.Join(", ", sampleShape)}], but 'x' has [{string.Join(", ", trained.SampleShape)}]");
            var features = x.to_type(ScalarType.Float32).contiguous().reshape(-1).data<float>().ToArray();
            return new ClassificationDataset(name, sampleShape, features, labels, classes);
        }
        if (!y.is_floating_point()) throw new DataFormatException(path, $"holds '{yName}' as {y.dtype}: int64 class labels or floating-point targets are expected");
        if (train is ClassificationDataset) throw new DataFormatException(path, $"holds real targets in '{yName}' but class labels in 'y'");
        if (!isfinite(y).all().item<bool>()) throw new DataFormatException(path, $"holds a target in '{yName}' that is not finite");
        int featureCount = sampleShape.Aggregate(1, (a, b) => a * b);
        if (train is not null && train.FeatureCount != featureCount)
            throw new DataFormatException(path, $"holds '{xName}' examples of {featureCount} features, but 'x' has {train.FeatureCount}");
        return new RegressionDataset(name, featureCount, x.to_type(ScalarType.Float64).contiguous().reshape(-1).data<double>().ToArray(),
            y.to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray(), sampleShape);
    }

    static Dictionary<string, Tensor> Read(string path)
    {
        var table = PyTorchFile.ReadDict(path, "a dict of tensors", "does not hold a dict of tensors (save {\"x\": x, \"y\": y} with torch.save)");
        var result = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry pair in table)
        {
            if (pair.Key is not string key) throw new DataFormatException(path, $"has a key that is not a string ({pair.Key})");
            if (pair.Value is not Tensor value) throw new DataFormatException(path, $"holds '{key}' as something other than a tensor");
            result[key] = value;
        }
        return result;
    }
}
