using System.Text.Json.Nodes;
using LabelNoise.Curvature;
using LabelNoise.Data;
using LabelNoise.Experiments;
using LabelNoise.Reporting;
using LabelNoise.Tests.TestSupport;
using Generator = LabelNoise.Randomness.Generator;

namespace LabelNoise.Tests.Experiments;

public class EscapeTests
{
    [Fact]
    public void TinyRunWritesDataFiguresSummaryAndClaimsComputedFromTheData()
    {
        using var folder = new TempFolder();
        var experiment = new Escape();
        var summary = ExperimentRunner.Run(experiment, folder.Path, ExperimentScale.Tiny, 0);
        var root = Path.Combine(folder.Path, experiment.Name);

        foreach (var file in new[] { Escape.CurvesFile, Escape.InitsFile, Escape.SummaryCsvFile, "config.json", ExperimentSummary.FileName })
            Assert.True(File.Exists(Path.Combine(root, file)), file);
        Assert.Equal(12, summary.Figures.Count);
        foreach (var figure in summary.Figures)
            Assert.True(new FileInfo(Path.Combine(root, figure.Name + ".png")).Length > 1000, figure.Name);

        // 2 poor inits × 3 methods × 3 seeds + 3 baseline runs, each measured at step 0 and 2 more points.
        var config = Escape.For(ExperimentScale.Tiny);
        var curves = CsvTable.Read(Path.Combine(root, Escape.CurvesFile));
        Assert.Equal((2 * 3 + 1) * config.Seeds * (config.Evaluations + 1), curves.RowCount);
        Assert.Equal([0.0, config.Steps / 2.0, config.Steps], curves.Column("step").Distinct().Order().ToArray());

        // summary.json carries the headline numbers at its top level, next to the claims.
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(root, ExperimentSummary.FileName)))!.AsObject();
        foreach (var init in new[] { "full-batch", "adversarial" })
            foreach (var method in new[] { "label-noise", "sgd", "smoothed" })
                foreach (var key in new[] { "test_acc_initial", "test_acc_final", "trace_initial", "trace_final" })
                    Assert.True(json.ContainsKey($"{init}.{method}.{key}"), $"{init}.{method}.{key}");
        Assert.True(json.ContainsKey("baseline.test_acc_final"));

        // The summary's numbers are the medians of the curves.
        var noise = EscapeCurves.Seeds(curves, EscapeInit.Adversarial, EscapeMethod.LabelNoise);
        Assert.Equal(Vectors.Median(noise.Select(s => s[s.RowCount - 1, "test_acc"])), (double)json["adversarial.label-noise.test_acc_final"]!);

        // Claims are a function of the written data ...
        Assert.Equal(summary.Claims, experiment.Evaluate(root));
        Assert.Equal(9, summary.Claims.Count);

        // ... and breaking the data flips them. At tiny scale nothing escapes and plain SGD stays at the full-batch
        // init; rewrite the curves so that label noise from the adversarial init ends 10 points above where it started
        // and flatter than at its first measured step, and plain SGD from the full-batch init loses 5 points.
        int escapes = Index(summary.Claims, "From the adversarial initialization label-noise SGD escapes");
        int several = Index(summary.Claims, "… and the gain is several points");
        int stays = Index(summary.Claims, "Plain minibatch SGD stays at the full-batch");
        Assert.False(summary.Claims[escapes].Holds, summary.Claims[escapes].Measured);
        Assert.False(summary.Claims[several].Holds, summary.Claims[several].Measured);
        Assert.True(summary.Claims[stays].Holds, summary.Claims[stays].Measured);
        CsvRewrite.Rewrite(Path.Combine(root, Escape.CurvesFile), curves, row =>
        {
            if (row["step"] != config.Steps) return;
            if (row["init"] == (int)EscapeInit.FullBatch && row["method"] == (int)EscapeMethod.Sgd) row["test_acc"] -= 0.05;
            if (row["init"] == (int)EscapeInit.Adversarial && row["method"] == (int)EscapeMethod.LabelNoise)
            {
                var run = curves.Where("init", row["init"]).Where("method", row["method"]).Where("seed", row["seed"]);
                row["test_acc"] = run[0, "test_acc"] + 0.10;
                row["trace"] = run[1, "trace"] / 2;
            }
        });
        var after = experiment.Evaluate(root);
        Assert.True(after[escapes].Holds, after[escapes].Measured);
        Assert.True(after[several].Holds, after[several].Measured);
        Assert.Contains("+10.0 points", after[escapes].Measured);
        Assert.False(after[stays].Holds, after[stays].Measured);
        Assert.Equal(summary.Claims.Count, after.Count);
    }

    [Fact]
    public void FullScaleIsResNet18OnCifarWhenAFolderIsNamedAndEveryScaleValidates()
    {
        var previous = Environment.GetEnvironmentVariable(Escape.CifarVariable);
        try
        {
            Environment.SetEnvironmentVariable(Escape.CifarVariable, "/data/cifar-10-batches-bin");
            var cifar = Escape.For(ExperimentScale.Full);
            cifar.Validate();
            Assert.Equal(("cifar10:/data/cifar-10-batches-bin", "resnet18", 256), (cifar.Setting.Data, cifar.Setting.Model, cifar.Setting.BatchSize));
            Environment.SetEnvironmentVariable(Escape.CifarVariable, null);
            var fashion = Escape.For(ExperimentScale.Full);
            fashion.Validate();
            Assert.Equal(("fashion-mnist", "mlp:512,512"), (fashion.Setting.Data, fashion.Setting.Model));
            Escape.For(ExperimentScale.Laptop).Validate();
        }
        finally { Environment.SetEnvironmentVariable(Escape.CifarVariable, previous); }
    }

    static int Index(IReadOnlyList<Claim> claims, string start) =>
        claims.Select((c, i) => (c, i)).Single(p => p.c.Statement.StartsWith(start, StringComparison.Ordinal)).i;

    [Fact]
    public void AdversarialDataKeepsTenCopiesZeroesAboutATenthOfThePixelsAndDrawsUniformLabels()
    {
        var features = new float[50 * 20];
        for (int i = 0; i < features.Length; i++) features[i] = 0.5f + (i % 7) / 20f; // no zero pixels in the source
        var labels = Enumerable.Range(0, 50).Select(i => i % 10).ToArray();
        var train = new ClassificationDataset("toy", [20], features, labels, 10);
        var copy = (float[])features.Clone();

        var adversarial = AdversarialData.Build(train, 10, 0.1, new Generator(3));

        Assert.Equal(500, adversarial.Count);
        Assert.Equal(train.SampleShape, adversarial.SampleShape);
        Assert.Equal(copy, train.Features); // the input is not modified
        int zeros = 0;
        for (int c = 0; c < 10; c++)
            for (int i = 0; i < 50; i++)
                for (int j = 0; j < 20; j++)
                {
                    float value = adversarial.Features[(c * 50 + i) * 20 + j];
                    if (value == 0) zeros++;
                    else Assert.Equal(features[i * 20 + j], value); // every other pixel is the original
                }
        double fraction = zeros / 10_000.0;
        Assert.InRange(fraction, 0.1 - 4 * Math.Sqrt(0.09 / 10_000), 0.1 + 4 * Math.Sqrt(0.09 / 10_000));
        var counts = Enumerable.Range(0, 10).Select(k => adversarial.Labels.Count(l => l == k)).ToArray();
        Assert.All(counts, n => Assert.InRange(n, 50 - 4 * Math.Sqrt(45), 50 + 4 * Math.Sqrt(45))); // uniform: 500 × 1/10 ± 4 sd
        double agreement = Enumerable.Range(0, 500).Count(k => adversarial.Labels[k] == labels[k % 50]) / 500.0;
        Assert.InRange(agreement, 0.1 - 4 * Math.Sqrt(0.09 / 500), 0.1 + 4 * Math.Sqrt(0.09 / 500)); // unrelated to the true labels
    }

    [Fact]
    public void SmoothedControlAtZeroFlipProbabilityIsPlainSgdStepForStep()
    {
        var config = Escape.For(ExperimentScale.Tiny);
        var runs = new EscapeRuns(config.Setting);
        var start = runs.NewLearner(runs.Train, new Generator(5));
        var parameters = start.GetParameters();
        start.Dispose();
        double[]? sgd = null, smoothed = null;
        runs.Run(new RunRecipe(EscapeInit.Adversarial, EscapeMethod.Sgd, 0, 0.1, 0, 30, 1), parameters, 7, finalParameters: p => sgd = p);
        runs.Run(new RunRecipe(EscapeInit.Adversarial, EscapeMethod.Smoothed, 0, 0.1, 0, 30, 1), parameters, 7, flipProbability: 0, finalParameters: p => smoothed = p);
        double[]? noisy = null;
        runs.Run(new RunRecipe(EscapeInit.Adversarial, EscapeMethod.LabelNoise, 0, 0.1, 0, 30, 1), parameters, 7, finalParameters: p => noisy = p);
        Assert.Equal(sgd, smoothed);
        Assert.NotEqual(sgd, noisy);
    }
}
