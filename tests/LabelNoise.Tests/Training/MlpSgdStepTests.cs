using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Noise;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Training;
using TorchSharp;
using static TorchSharp.torch;
using LabelNoise.Randomness;

namespace LabelNoise.Tests.Training;

/// <summary>The written-out step of a ReLU MLP against autograd's on a twin network (a plain Sequential of the same layers).</summary>
public class MlpSgdStepTests
{
    static (TorchLearner Written, TorchLearner Autograd) Pair(Dataset data, ScalarType dtype)
    {
        int outputs = data is ClassificationDataset c ? c.ClassCount : 1;
        var mlp = new Mlp(data.FeatureCount, [6, 5], outputs, Activation.Relu);
        ParameterInitializer.Initialize(mlp, new RandomStream(3));
        var twin = nn.Sequential(("flatten", nn.Flatten()), ("l0", nn.Linear(data.FeatureCount, 6)), ("r0", nn.ReLU()),
            ("l1", nn.Linear(6, 5)), ("r1", nn.ReLU()), ("head", nn.Linear(5, outputs)));
        var written = new TorchLearner(mlp, data, 0.2, dtype);
        var autograd = new TorchLearner(twin, data, 0.2, dtype);
        autograd.SetParameters(written.GetParameters());
        return (written, autograd);
    }

    public static TheoryData<string, double, ScalarType> Cases => new()
    {
        { "hard", 0.0, ScalarType.Float64 },
        { "smoothed", 0.9, ScalarType.Float64 },
        { "regression", 0.5, ScalarType.Float64 },
        { "hard", 0.9, ScalarType.Float32 },
        { "smoothed", 0.0, ScalarType.Float32 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void StepsEqualAutogradsSteps(string targets, double momentum, ScalarType dtype)
    {
        Dataset data = targets == "regression" ? TestData.Regression(20, 4, seed: 1) : TestData.Images(20, 3, 4, seed: 1);
        var (written, autograd) = Pair(data, dtype);
        using (written)
        using (autograd)
        {
            var start = written.GetParameters();
            var generator = new RandomStream(7);
            for (int step = 0; step < 5; step++)
            {
                var batch = BatchSampler.WithReplacement(data.Count, 8, generator);
                BatchTargets batchTargets = data switch
                {
                    RegressionDataset r => new RegressionTargets(batch.Select(i => r.Targets[i]).ToArray()),
                    ClassificationDataset c when targets == "hard" => new HardLabels(batch.Select(i => c.Labels[i]).ToArray()),
                    ClassificationDataset c => new SmoothedLabels(batch.Select(i => c.Labels[i]).ToArray(), 0.2),
                    _ => throw new InvalidOperationException(),
                };
                double tolerance = dtype == ScalarType.Float64 ? 1e-12 : 1e-5;
                Assert.Equal(autograd.Step(batch, batchTargets, 0.3, momentum), written.Step(batch, batchTargets, 0.3, momentum), tolerance);
                var (a, w) = (autograd.GetParameters(), written.GetParameters());
                for (int j = 0; j < a.Length; j++) Assert.True(Math.Abs(a[j] - w[j]) <= tolerance * Math.Max(1, Math.Abs(a[j])), $"step {step}, parameter {j}: {w[j]} vs autograd's {a[j]}");
            }
            Assert.True(written.GetParameters().Zip(start).Any(p => Math.Abs(p.First - p.Second) > 1e-3), "the steps must move the parameters");
            // The written-out step was taken: it never runs backward, so no parameter has a gradient; autograd's twin has one on each.
            Assert.All(written.Model.parameters(), p => Assert.Null(p.grad));
            Assert.All(autograd.Model.parameters(), p => Assert.NotNull(p.grad));
        }
    }
}
