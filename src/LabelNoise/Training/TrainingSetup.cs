using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Noise;

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
        if (split.Train.Count > 0) noise.Perturb(split.Train, [0], new Randomness.Generator(0)); // a kind mismatch is one clear sentence
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

    static ILearner BuildLearner(ModelSpec spec, Dataset train, ILabelNoise noise, TrainingConfig config)
    {
        var built = ModelFactory.Create(spec, train, config.Backend, RunGenerators.FromSeed(config.Seed).Model);
        if (built.Hand is not null) return new HandLearner(built.Hand, (RegressionDataset)train);
        double flip = noise switch { LabelFlipNoise f => f.FlipProbability, LabelSmoothing s => s.FlipProbability, _ => 0 };
        return new TorchLearner(built.Network!, train, flip, built.DType);
    }

    /// <summary>--init: see <see cref="ParameterSource"/>. Optimizer state starts at zero.</summary>
    public static void LoadInitialParameters(ILearner learner, string source)
    {
        var values = ParameterSource.Load(source, learner.ParameterCount, (learner as TorchLearner)?.Model);
        if (values is not null) learner.SetParameters(values);
    }
}
