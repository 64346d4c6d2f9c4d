using LabelNoise.Models;
using LabelNoise.Noise;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Training;
using Generator = LabelNoise.Randomness.Generator;

namespace LabelNoise.Tests.Training;

/// <summary>
/// TorchSharp frees a number converted to a native Scalar on the fly if a garbage collection runs
/// during the native call; our tensor code keeps every Scalar alive (KeptScalar). Under constant
/// collections from another thread, training must neither crash nor change a single bit.
/// </summary>
public class TorchLearnerGcTests
{
    static double[] Train(bool collectGarbage)
    {
        var data = TestData.Images(32, 4, 3, seed: 8);
        using var learner = new TorchLearner(new Mlp(16, [12], 3, Activation.Gelu), data, flipProbability: 0.2);
        ParameterInitializer.Initialize(learner.Model, new Generator(1));
        var (sampler, noiseGenerator) = (new Generator(2), new Generator(3));
        var noise = new LabelFlipNoise(0.2);
        using var stop = new CancellationTokenSource();
        var collector = collectGarbage
            ? Task.Run(() => { while (!stop.IsCancellationRequested) GC.Collect(); })
            : Task.CompletedTask;
        for (int step = 0; step < 1500; step++)
        {
            var batch = BatchSampler.WithReplacement(data.Count, 8, sampler);
            learner.Step(batch, noise.Perturb(data, batch, noiseGenerator), 0.05, 0.9);
            if (step % 100 == 0) learner.Evaluate(data, withGradient: true);
        }
        stop.Cancel();
        collector.Wait();
        return learner.GetParameters();
    }

    [Fact]
    public void TrainingUnderConstantGarbageCollectionIsBitIdentical() =>
        Assert.Equal(Train(collectGarbage: false), Train(collectGarbage: true));
}
