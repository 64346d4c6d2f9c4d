using LabelNoise.Experiments;
using LabelNoise.Training;
using TorchSharp;
using LabelNoise.Randomness;

namespace LabelNoise.Tests.Experiments;

/// <summary>Runs alone: libtorch's thread count is process-wide, and the bit-for-bit comparison needs it to stay at one.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTorchCollection
{
    public const string Name = "serial libtorch";
}

[Collection(SerialTorchCollection.Name)]
public class ParallelRunsTests
{
    /// <summary>
    /// TorchSharp 0.107 frees implicitly made Scalars if a collection runs during the native call: with one thread
    /// collecting all the time, one implicit <c>alpha: −η</c> in the SGD step failed this test within 2 seconds.
    /// </summary>
    [Fact]
    public void TwoRunsAtOnceUnderConstantCollectionsGiveTheSequentialNumbers()
    {
        var runs = new EscapeRuns(EscapeConfig.For(ExperimentScale.Tiny).Setting);
        double[] start;
        using (var learner = runs.NewLearner(runs.Train, new RandomStream(5))) start = learner.GetParameters();
        RunRecipe[] plan = [new() { Init = EscapeInit.Adversarial, Method = EscapeMethod.LabelNoise, Seed = 0, LearningRate = 0.1, Momentum = 0, Steps = 3000, Evaluations = 3 }, new() { Init = EscapeInit.Adversarial, Method = EscapeMethod.LabelNoise, Seed = 1, LearningRate = 0.1, Momentum = 0.5, Steps = 3000, Evaluations = 3 }];
        var sequential = plan.Select(r => ParallelRuns.Map([r], one => runs.Run(one, start, 7))[0]).ToArray(); // one at a time, one libtorch thread
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() => { while (!stop.IsCancellationRequested) { GC.Collect(); GC.WaitForPendingFinalizers(); } });
        collector.Start();
        try
        {
            for (int repeat = 0; repeat < 3; repeat++)
            {
                var parallel = ParallelRuns.Map(plan, r => runs.Run(r, start, 7));
                Assert.Equal(sequential[0], parallel[0]);
                Assert.Equal(sequential[1], parallel[1]);
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
    }

    [Fact]
    public void ResultsComeInInputOrderEachReportedOnceAndTheThreadCountIsRestored()
    {
        int threads = torch.get_num_threads();
        var reported = new List<int>();
        var results = ParallelRuns.Map(Enumerable.Range(0, 20).ToArray(), i => { Thread.Sleep(20 - i); return i * i; }, (k, i, r) => reported.Add(k));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * i), results);
        Assert.Equal(Enumerable.Range(0, 20), reported.Order());
        Assert.Equal(threads, torch.get_num_threads());
    }

    [Fact]
    public void AFailureIsRethrownAsItself()
    {
        var e = Assert.Throws<DivergenceException>(() => ParallelRuns.Map([1, 2, 3], i => i == 2 ? throw new DivergenceException(5, "the loss", null) : i));
        Assert.Contains("step 5", e.Message);
    }
}
