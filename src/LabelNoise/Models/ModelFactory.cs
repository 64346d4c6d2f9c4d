using LabelNoise.Data;
using TorchSharp;
using static TorchSharp.torch;
using LabelNoise.Randomness;

namespace LabelNoise.Models;

/// <summary>A model built for a data set: a hand-written one, or a TorchSharp module (with its dtype).</summary>
public sealed record BuiltModel(IHandModel? Hand, nn.Module<Tensor, Tensor>? Network, ScalarType DType);

/// <summary>Builds the model a <see cref="ModelSpec"/> names, checked against the data it will see.</summary>
public static class ModelFactory
{
    /// <param name="backend">auto | hand | torch: auto takes the hand-written path where the model has one.</param>
    public static BuiltModel Create(ModelSpec spec, Dataset data, string backend, RandomStream initialization)
    {
        Check(spec, data, backend);
        if (spec.HasHandPath && backend != "torch")
            return new BuiltModel(spec.Kind == "linear" ? new LinearModel(data.FeatureCount) : new QuadraticModel(data.FeatureCount), null, ScalarType.Float64);
        if (spec.HasHandPath)
            return new BuiltModel(null, spec.Kind == "linear" ? new TorchLinear(data.FeatureCount) : new TorchQuadratic(data.FeatureCount), ScalarType.Float64);
        if (spec.Kind == "torchscript")
        {
            var script = TorchScriptModel.Load(spec.File!);
            script.CheckForward(data);
            return new BuiltModel(null, script, ScalarType.Float32);
        }
        int outputs = data is ClassificationDataset c ? c.ClassCount : 1;
        nn.Module<Tensor, Tensor> network = spec.Kind switch
        {
            "mlp" => new Mlp(data.FeatureCount, spec.HiddenWidths, outputs, spec.Activation),
            "cnn" => new SmallCnn(data.SampleShape[0], data.SampleShape[1], data.SampleShape[2], outputs, spec.BaseWidth),
            _ => new ResNet18(data.SampleShape[0], outputs),
        };
        ParameterInitializer.Initialize(network, initialization);
        return new BuiltModel(null, network, ScalarType.Float32);
    }

    static void Check(ModelSpec model, Dataset data, string backend)
    {
        if (data.Count == 0) throw new SettingException($"the data set {data.Name} is empty");
        if (model.HasHandPath && data is not RegressionDataset)
            throw new SettingException($"model '{model.Kind}' is a scalar regression model, but {data.Name} is a classification data set");
        if (model.Kind is "cnn" or "resnet18" && data.SampleShape.Length != 3)
            throw new SettingException($"model '{model.Kind}' needs images (channels × height × width), but {data.Name} has flat features");
        if (model.Kind == "cnn" && (data.SampleShape[1] < 4 || data.SampleShape[2] < 4))
            throw new SettingException("model 'cnn' needs images of at least 4×4 pixels");
        if (backend is not ("auto" or "hand" or "torch")) throw new SettingException($"the backend must be auto, hand or torch, not '{backend}'");
        if (backend == "hand" && !model.HasHandPath)
            throw new SettingException($"--backend hand exists only for the linear and quadratic models, not '{model}'");
    }
}
