using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Noise;
using TorchSharp;
using static TorchSharp.torch;

namespace LabelNoise.Training;

/// <summary>
/// Turns a <see cref="TrainingConfig"/> into a ready <see cref="TrainingSession"/>: parses and
/// checks every option up front (one clear sentence on a bad one, before any native call),
/// loads the data, builds the model on the hand-written or autograd path, and initializes it.
/// </summary>
public static class TrainingSetup
{
    public static TrainingSession Create(TrainingConfig config)
    {
        config.Validate();
        var noise = NoiseSpec.Parse(config.Noise);
        var model = ModelSpec.Parse(config.Model);
        var schedule = LearningRateSchedule.Parse(config.LearningRate, config.LrDecay);
        var split = DataSpec.Parse(config.Data).Load(new DataOptions
        {
            TrainSize = config.TrainSize,
            TestSize = config.TestSize,
            Scaling = config.Scaling switch { "standard" => PixelScaling.Standardized, "raw" => PixelScaling.Raw, _ => PixelScaling.UnitInterval },
        });
        var test = split.Test is { Count: > 0 } t ? t : null;
        CheckCompatible(model, noise, split.Train, config);
        var learner = BuildLearner(model, split.Train, noise, config);
        try
        {
            if (config.Init is not null) LoadInitialParameters(learner, config.Init);
        }
        catch
        {
            learner.Dispose();
            throw;
        }
        return new TrainingSession(config, learner, split.Train, test, noise, schedule);
    }

    static void CheckCompatible(ModelSpec model, ILabelNoise noise, Dataset train, TrainingConfig config)
    {
        if (train.Count == 0) throw new ArgumentException($"the training set {train.Name} is empty");
        noise.Perturb(train, [0], new Randomness.Generator(0)); // throws a clear sentence on a kind mismatch
        if (model.HasHandPath && train is not RegressionDataset)
            throw new ArgumentException($"model '{model.Kind}' is a scalar regression model, but {train.Name} is a classification data set");
        if (model.Kind is "cnn" or "resnet18" && train.SampleShape.Length != 3)
            throw new ArgumentException($"model '{model.Kind}' needs images (channels × height × width), but {train.Name} has flat features");
        if (model.Kind == "cnn" && (train.SampleShape[1] < 4 || train.SampleShape[2] < 4))
            throw new ArgumentException($"model 'cnn' needs images of at least 4×4 pixels");
        if (config.Backend == "hand" && !model.HasHandPath)
            throw new ArgumentException($"--backend hand exists only for the linear and quadratic models, not '{model}'");
    }

    static ILearner BuildLearner(ModelSpec spec, Dataset train, ILabelNoise noise, TrainingConfig config)
    {
        var generators = RunGenerators.FromSeed(config.Seed);
        if (spec.HasHandPath && config.Backend != "torch")
        {
            var regression = (RegressionDataset)train;
            IHandModel hand = spec.Kind == "linear" ? new LinearModel(regression.FeatureCount) : new QuadraticModel(regression.FeatureCount);
            return new HandLearner(hand, regression);
        }
        double flip = noise switch { LabelFlipNoise f => f.FlipProbability, LabelSmoothing s => s.FlipProbability, _ => 0 };
        if (spec.HasHandPath)
        {
            nn.Module<Tensor, Tensor> twin = spec.Kind == "linear" ? new TorchLinear(train.FeatureCount) : new TorchQuadratic(train.FeatureCount);
            return new TorchLearner(twin, train, flip, ScalarType.Float64);
        }
        int outputs = train is ClassificationDataset c ? c.ClassCount : 1;
        nn.Module<Tensor, Tensor> network = spec.Kind switch
        {
            "mlp" => new Mlp(train.FeatureCount, spec.HiddenWidths, outputs, spec.Activation),
            "cnn" => new SmallCnn(train.SampleShape[0], train.SampleShape[1], train.SampleShape[2], outputs, spec.BaseWidth),
            _ => new ResNet18(train.SampleShape[0], outputs),
        };
        ParameterInitializer.Initialize(network, generators.Model);
        return new TorchLearner(network, train, flip);
    }

    /// <summary>
    /// --init: a flat text file (one number per line), a TorchSharp state dict (*.dat), or a run
    /// folder (its final-params.txt, else its checkpoint's parameters). Optimizer state starts at zero.
    /// </summary>
    public static void LoadInitialParameters(ILearner learner, string source)
    {
        if (Directory.Exists(source))
        {
            var flat = Path.Combine(source, Trainer.FinalParametersFile);
            if (File.Exists(flat)) { learner.SetParameters(ParameterFile.Read(flat, learner.ParameterCount)); return; }
            var checkpoint = Checkpoint.FolderOf(source);
            if (learner is TorchLearner && File.Exists(Path.Combine(checkpoint, "model.dat"))) source = Path.Combine(checkpoint, "model.dat");
            else if (learner is HandLearner && File.Exists(Path.Combine(checkpoint, "parameters.bin")))
            {
                learner.SetParameters(StateFiles.ReadVector(Path.Combine(checkpoint, "parameters.bin"), learner.ParameterCount));
                return;
            }
            else throw new DataFormatException(source, $"holds neither {Trainer.FinalParametersFile} nor a checkpoint of this model");
        }
        if (source.EndsWith(".dat", StringComparison.OrdinalIgnoreCase))
        {
            if (learner is not TorchLearner torchLearner) throw new DataFormatException(source, "is a network state dict, but this model is hand-written: give a flat parameter file");
            if (!File.Exists(source)) throw new DataFormatException(source, "file not found");
            try { torchLearner.Model.load(source); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException)
            { throw new DataFormatException(source, "is not a state dict of this model (" + e.Message.Split('\n')[0].TrimEnd('.') + ")"); }
            return;
        }
        learner.SetParameters(ParameterFile.Read(source, learner.ParameterCount));
    }
}
