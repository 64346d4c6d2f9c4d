using LabelNoise.Experiments;
using LabelNoise.Noise;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Training;
using LabelNoise.Randomness;

namespace LabelNoise.Tests.Experiments;

public class ParameterAverageTests
{
    [Fact]
    public void TheAverageIsTheExponentialMovingAverageOfTheIteratesAndEvaluatingItLeavesTheModelAsItWas()
    {
        var runs = new EscapeRuns(EscapeConfig.For(ExperimentScale.Tiny).Setting);
        using var learner = runs.NewLearner(runs.Train, new RandomStream(3));
        const double decay = 0.9;
        using var average = new ParameterAverage(learner, decay);
        var expected = learner.GetParameters();
        var sampler = new RandomStream(4);
        for (int k = 0; k < 5; k++)
        {
            var batch = BatchSampler.WithReplacement(runs.Train.Count, 8, sampler);
            learner.Step(batch, CleanTargets.Of(runs.Train, batch), 0.1, 0);
            average.Update();
            var now = learner.GetParameters();
            for (int i = 0; i < expected.Length; i++) expected[i] = decay * expected[i] + (1 - decay) * now[i];
        }
        var current = learner.GetParameters();
        var seen = average.Evaluate(learner.GetParameters);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], seen[i], 1e-6); // float32 parameters
        Assert.Equal(current, learner.GetParameters()); // restored bit for bit
        Assert.NotEqual(current, seen);
    }

    [Fact]
    public void ADecayOutsideTheOpenUnitIntervalIsRejected()
    {
        var runs = new EscapeRuns(EscapeConfig.For(ExperimentScale.Tiny).Setting);
        using var learner = runs.NewLearner(runs.Train, new RandomStream(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParameterAverage(learner, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParameterAverage(learner, 0));
    }
}
