using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Noise;

namespace LabelNoise.Training;

/// <summary>
/// Turns a <see cref="TrainingConfig"/> into a ready <see cref="TrainingSession"/>: parses and
/// checks every option up front (one clear sentence on a bad one, before any native call),
/// loads the data, builds the model on the hand-written or autograd path, and initializes it (--init: see <see cref="ParameterSource"/>; optimizer state starts at zero).
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
        if (split.Train.Count > 0) noise.Perturb(split.Train, [0], new Randomness.RandomStream(0)); // a kind mismatch is one clear sentence
        var learner = BuildLearner(model, split.Train, noise, config);
        return new TrainingSession(config, learner, split.Train, test, noise, schedule);
    }

    static ILearner BuildLearner(ModelSpec spec, Dataset train, ILabelNoise noise, TrainingConfig config)
    {
        var built = ModelFactory.Create(spec, train, config.Backend, RunGenerators.FromSeed(config.Seed).Model);
        try
        {
            // --init goes into the model before the learner is built, so that the gradient self-check runs at the starting point.
            int count = built.Hand?.ParameterCount ?? FlatParameters.Count(built.Network!.parameters());
            var values = config.Init is null ? null : ParameterSource.Load(config.Init, count, built.Network);
            if (built.Hand is not null)
            {
                var hand = new HandLearner(built.Hand, (RegressionDataset)train);
                if (values is not null) hand.SetParameters(values);
                return hand;
            }
            if (values is not null) FlatParameters.Write(built.Network!.parameters().ToArray(), values);
            return new TorchLearner(built.Network!, train, NoiseSpec.FlipProbability(noise), built.DType);
        }
        catch
        {
            built.Network?.Dispose();
            throw;
        }
    }
}
