using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Noise;
using LabelNoise.Randomness;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Training;
using LabelNoise.Files;

namespace LabelNoise.Tests.Training;

public class TrainerTests
{
    static readonly TrainingConfig Sparse = new()
    {
        Model = "quadratic", Data = "sparse:d=10,n=8,r=2,seed=1", LearningRate = 0.01, BatchSize = 2, Steps = 200,
        EvalEvery = 50, Seed = 7,
    };

    static (TrainingResult Result, double[] Parameters, List<MetricsRow> Rows) Train(TrainingConfig config, string folder, bool resume = false)
    {
        using var session = TrainingSetup.Create(config);
        var result = Trainer.Run(session, folder, resume);
        return (result, session.Learner.GetParameters(), MetricsSink.ReadCsv(Path.Combine(folder, MetricsSink.CsvFile)).Rows);
    }

    static void AssertSameRows(List<MetricsRow> expected, List<MetricsRow> actual)
    {
        Assert.Equal(expected.Select(r => r.Step), actual.Select(r => r.Step));
        for (int i = 0; i < expected.Count; i++)
            foreach (var (name, value) in expected[i].Values)
                if (name != "elapsed_s") Assert.True(value == actual[i][name], $"row {expected[i].Step}, {name}: {value:R} vs {actual[i][name]:R}");
    }

    [Theory]
    [InlineData("auto", "pm:0")]
    [InlineData("auto", "gauss:0")]
    [InlineData("torch", "pm:0")]
    public void ZeroSigmaIsPlainSgdStepForStep(string backend, string zeroNoise)
    {
        using var folder = new TempFolder();
        var plain = Train(Sparse with { Backend = backend, TrajectoryEvery = 1 }, folder.File("plain"));
        var zero = Train(Sparse with { Backend = backend, TrajectoryEvery = 1, Noise = zeroNoise }, folder.File("zero"));
        Assert.Equal(plain.Parameters, zero.Parameters);
        Assert.Equal(File.ReadAllLines(folder.File("plain/trajectory.csv")), File.ReadAllLines(folder.File("zero/trajectory.csv")));
        var noisy = Train(Sparse with { Backend = backend, Noise = "pm:0.5" }, folder.File("noisy"));
        Assert.NotEqual(plain.Parameters, noisy.Parameters);
    }

    [Fact]
    public void ZeroFlipProbabilityIsPlainSgdForNetworks()
    {
        var data = TestData.Images(16, 4, 3, seed: 3);
        double[] Run(ILabelNoise noise)
        {
            using var folder = new TempFolder();
            var learner = new TorchLearner(new Mlp(16, [8], 3, Activation.Relu), data);
            ParameterInitializer.Initialize(learner.Model, new RandomStream(1));
            using var session = new TrainingSession(new TrainingConfig { Steps = 30, BatchSize = 4, EvalEvery = 10 }, learner, data, null, noise, LearningRateSchedule.Parse(0.1, null));
            Trainer.Run(session, folder.Path, false);
            return learner.GetParameters();
        }
        Assert.Equal(Run(new NoLabelNoise()), Run(new LabelFlipNoise(0)));
        Assert.NotEqual(Run(new NoLabelNoise()), Run(new LabelFlipNoise(0.3)));
    }

    [Theory]
    [InlineData("auto", "pm:1", 0.0)]
    [InlineData("torch", "gauss:0.5", 0.9)]
    public void ResumedRunEqualsUninterruptedRun(string backend, string noise, double momentum)
    {
        using var folder = new TempFolder();
        var config = Sparse with { Backend = backend, Noise = noise, Momentum = momentum, TrajectoryEvery = 25 };
        var whole = Train(config, folder.File("whole"));
        var first = Train(config with { Steps = 120 }, folder.File("cut"));
        Assert.Equal(120, first.Result.Step);
        var rest = Train(config, folder.File("cut"), resume: true);
        Assert.Equal(whole.Parameters, rest.Parameters);
        AssertSameRows(whole.Rows, rest.Rows);
        Assert.Equal(File.ReadAllLines(folder.File("whole/trajectory.csv")), File.ReadAllLines(folder.File("cut/trajectory.csv")));
    }

    [Fact]
    public void ResumedNetworkRunWithLabelFlippingEqualsUninterruptedRun()
    {
        var data = TestData.Images(20, 4, 3, seed: 5);
        var test = TestData.Images(9, 4, 3, seed: 6);
        (double[], List<MetricsRow>) Run(string path, long steps, bool resume)
        {
            var learner = new TorchLearner(new SmallCnn(1, 4, 4, 3, baseWidth: 2), data, flipProbability: 0.2);
            ParameterInitializer.Initialize(learner.Model, new RandomStream(2));
            var config = new TrainingConfig { Steps = steps, BatchSize = 5, EvalEvery = 10, Momentum = 0.9, Seed = 3 };
            using var session = new TrainingSession(config, learner, data, test, new LabelFlipNoise(0.2), LearningRateSchedule.Parse(0.05, "30:0.5"));
            Trainer.Run(session, path, resume);
            return (learner.GetParameters(), MetricsSink.ReadCsv(Path.Combine(path, MetricsSink.CsvFile)).Rows);
        }
        using var folder = new TempFolder();
        var whole = Run(folder.File("whole"), 50, false);
        Run(folder.File("cut"), 23, false);
        var rest = Run(folder.File("cut"), 50, true);
        Assert.Equal(whole.Item1, rest.Item1);
        AssertSameRows(whole.Item2, rest.Item2);
        Assert.Contains("test_accuracy", rest.Item2[^1].Values.Keys);
    }

    [Fact]
    public void FullBatchIsGradientDescentOnTheWholeTrainingSet()
    {
        using var folder = new TempFolder();
        var config = Sparse with { FullBatch = true, Steps = 10 };
        var trained = Train(config, folder.Path);
        using var session = TrainingSetup.Create(config);
        var data = (RegressionDataset)session.Train;
        var model = new QuadraticModel(data.FeatureCount);
        var theta = model.DefaultParameters();
        for (int step = 0; step < 10; step++)
        {
            var gradient = new double[theta.Length];
            for (int i = 0; i < data.Count; i++)
                model.AccumulateGradient(theta, data.Row(i), (model.Predict(theta, data.Row(i)) - data.Targets[i]) / data.Count, gradient);
            for (int j = 0; j < theta.Length; j++) theta[j] -= 0.01 * gradient[j];
        }
        for (int j = 0; j < theta.Length; j++) Assert.Equal(theta[j], trained.Parameters[j], 13);
    }

    [Fact]
    public void LearningRateDecayApplies()
    {
        using var folder = new TempFolder();
        var run = Train(Sparse with { LrDecay = "100:0.1,150:0.5" }, folder.Path);
        Assert.Equal(0.01, run.Rows.Single(r => r.Step == 50)["learning_rate"]!.Value, 15);
        Assert.Equal(0.001, run.Rows.Single(r => r.Step == 100)["learning_rate"]!.Value, 15);
        Assert.Equal(0.0005, run.Rows.Single(r => r.Step == 200)["learning_rate"]!.Value, 15);
    }

    [Fact]
    public void DivergenceNamesTheStepAndKeepsTheLastGoodCheckpoint()
    {
        using var folder = new TempFolder();
        var config = Sparse with { LearningRate = 5, Steps = 100_000, CheckpointEvery = 2, EvalEvery = 1000 };
        using var session = TrainingSetup.Create(config);
        var e = Assert.Throws<DivergenceException>(() => Trainer.Run(session, folder.Path, false));
        Assert.Contains($"step {e.Step}", e.Message);
        Assert.Contains("last good checkpoint", e.Message);
        using var resumed = TrainingSetup.Create(config);
        var state = Checkpoint.Load(folder.Path, resumed);
        Assert.True(state.Step <= e.Step);
        Assert.All(resumed.Learner.GetParameters(), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void WritesConfigMetricsTrajectoryAndFinalParameters()
    {
        using var folder = new TempFolder();
        RunConfigFile.Write(folder.Path, Sparse with { TrajectoryEvery = 100 });
        var run = Train(Sparse with { TrajectoryEvery = 100 }, folder.Path);
        Assert.Equal(Sparse with { TrajectoryEvery = 100 }, RunConfigFile.Read(folder.Path));
        Assert.Equal([0L, 50, 100, 150, 200], run.Rows.Select(r => r.Step));
        Assert.All(run.Rows, r => Assert.NotNull(r["train_loss"]));
        Assert.Equal(3, File.ReadAllLines(folder.File(Trainer.TrajectoryFile)).Length - 1);
        Assert.Equal(run.Parameters, ParameterFile.Read(folder.File(Trainer.FinalParametersFile), 20));
        Assert.Equal(5, File.ReadAllLines(folder.File(MetricsSink.JsonFile)).Length);
        Assert.NotEmpty(Directory.GetFiles(folder.File("tensorboard")));
    }

    [Fact]
    public void InitFromAFinishedRunContinuesFromItsParameters()
    {
        using var folder = new TempFolder();
        var first = Train(Sparse, folder.File("a"));
        using var session = TrainingSetup.Create(Sparse with { Init = folder.File("a") });
        Assert.Equal(first.Parameters, session.Learner.GetParameters());
        File.WriteAllText(folder.File("short.txt"), "1\n2\n");
        var e = Assert.Throws<DataFormatException>(() => TrainingSetup.Create(Sparse with { Init = folder.File("short.txt") }));
        Assert.Contains("holds 2 parameters but the model has 20", e.Message);
    }
}
