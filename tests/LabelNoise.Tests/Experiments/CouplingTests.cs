using LabelNoise.Data;
using LabelNoise.Experiments;
using LabelNoise.Noise;
using LabelNoise.Randomness;
using LabelNoise.Tests.TestSupport;
using static LabelNoise.Tests.TestSupport.CsvRewrite;
using LabelNoise.Training;
using LabelNoise.Files;
using static LabelNoise.Tests.TestSupport.ClaimMargins;

namespace LabelNoise.Tests.Experiments;

public class CouplingTests
{
    [Fact]
    public void ClaimsHoldAndBreakingTheDataFlipsThem()
    {
        using var folder = new TempFolder();
        var experiment = new Coupling();
        var summary = ExperimentRunner.Run(experiment, folder.Path, ExperimentScale.Tiny, 0);
        var root = Path.Combine(folder.Path, experiment.Name);
        Assert.Equal(2, summary.Claims.Count);
        Assert.All(WithConsistentMargins(summary.Claims), c => Assert.True(c.Holds, c.Statement + ": " + c.Measured));
        foreach (var figure in summary.Figures)
            Assert.True(new FileInfo(Path.Combine(root, figure.Name + ".png")).Length > 1000, figure.Name);

        var path = Path.Combine(root, Coupling.DataFile);
        var original = CsvTable.Read(path);
        // θ₀ = Φ₀ = θ*, ξ₀ = 0: everything starts at zero distance.
        Assert.All(original.Where("step", 0).Column("coupling_error"), e => Assert.Equal(0.0, e));
        Assert.All(original.Where("step", 0).Column("movement"), m => Assert.Equal(0.0, m));
        AssertTheWholeCurveIsWithinLemma1sBound(root);

        var setting = CsvTable.Read(Path.Combine(root, Coupling.SettingFile));
        double largestSigma = setting.Column("sigma").Max(), smallestSigma = setting.Column("sigma").Min();
        double FinalStep(double sigma) => setting.Where("sigma", sigma)[0, "steps"];

        // An error as large as the movement at the largest λ: the coupling claim fails.
        Rewrite(path, original, row =>
        {
            if (row["sigma"] == largestSigma && row["step"] == FinalStep(largestSigma)) row["coupling_error"] = row["movement"];
        });
        var claims = WithConsistentMargins(experiment.Evaluate(root));
        Assert.False(claims[0].Holds);

        // A smallest-λ final ratio between the largest λ's and the bound: the coupling holds but the ratio no longer shrinks.
        var largestFinal = original.Where("sigma", largestSigma).Where("step", FinalStep(largestSigma));
        double largestRatio = largestFinal.Column("coupling_error").Average() / largestFinal.Column("movement").Average();
        Assert.True(largestRatio < Bound);
        Rewrite(path, original, row =>
        {
            if (row["sigma"] == smallestSigma && row["step"] == FinalStep(smallestSigma)) row["coupling_error"] = (largestRatio + Bound) / 2 * row["movement"];
        });
        claims = WithConsistentMargins(experiment.Evaluate(root));
        Assert.True(claims[0].Holds);
        Assert.False(claims[1].Holds);

        // One path off by a quarter of the movement at one step in the middle of its curve: Lemma 1 bounds every k ≤ τ, so the claim fails
        // although every final step is untouched.
        double middle = original.Where("sigma", smallestSigma).Column("step").Where(k => k > 0 && k < FinalStep(smallestSigma)).Order().ElementAt(5);
        double firstSeed = original.Column("seed").Min();
        Rewrite(path, original, row =>
        {
            if (row["sigma"] == smallestSigma && row["seed"] == firstSeed && row["step"] == middle)
                row["coupling_error"] = 0.25 * original.Where("sigma", smallestSigma).Column("movement").Max();
        });
        claims = WithConsistentMargins(experiment.Evaluate(root));
        Assert.False(claims[0].Holds);
        Assert.True(claims[1].Holds);
    }

    /// <summary>Lemma 1's bound: the coupling error 𝒟 ≤ 𝓜 while the movement may reach 8𝓜.</summary>
    const double Bound = 1.0 / 8;

    /// <summary>
    /// Lemma 1: simultaneously for all k ≤ τ, ‖θₖ − ξₖ − Φₖ(θ*)‖ ≤ 𝒟, with max_{k≤τ} ‖Φₖ(θ*) − θ*‖ ≤ 8𝓜 and 𝒟 ≤ 𝓜. Every recorded
    /// step of every path, read from the written data, against an eighth of that path's largest movement.
    /// </summary>
    static void AssertTheWholeCurveIsWithinLemma1sBound(string root)
    {
        var table = CsvTable.Read(Path.Combine(root, Coupling.DataFile));
        var setting = CsvTable.Read(Path.Combine(root, Coupling.SettingFile));
        Assert.All(setting.Column("ratio_bound"), b => Assert.Equal(Bound, b));
        int checkedSteps = 0;
        foreach (double sigma in setting.Column("sigma"))
        {
            double steps = setting.Where("sigma", sigma)[0, "steps"];
            foreach (double seed in table.Column("seed").Distinct())
            {
                var path = table.Where("sigma", sigma).Where("seed", seed);
                Assert.Equal(steps, path.Column("step").Max());
                double movement = path.Column("movement").Max();
                Assert.True(movement > 0);
                for (int i = 0; i < path.RowCount; i++, checkedSteps++)
                    Assert.True(path[i, "coupling_error"] <= Bound * movement,
                        $"σ = {sigma}, seed {seed}, step {path[i, "step"]}: error {path[i, "coupling_error"]} above 𝒟 = {Bound} × {movement}");
            }
        }
        Assert.True(checkedSteps >= 3 * 2 * 40, $"only {checkedSteps} points of the curves were checked");
    }

    [Fact]
    public void WithoutCurvatureThePathwiseOuProcessIsThePlainSumOfTheNoiseTerms()
    {
        // Dyadic numbers throughout, so that every product and sum is exact in float64.
        double[][] gradients = [[1, -2, 0.5], [0, 4, -1], [3, 0.25, 2]];
        var zero = new double[3, 3];
        const double eta = 0.25;
        int[][] batches = [[0, 2], [1, 1], [2, 0]];
        double[][] noises = [[0.5, -0.5], [-0.5, -0.5], [0.5, 0.5]];
        var xi = new double[3];
        var expected = new double[3];
        for (int k = 0; k < batches.Length; k++)
        {
            var input = xi;
            var copy = (double[])input.Clone();
            xi = Coupling.OuStep(input, zero, gradients, batches[k], noises[k], eta);
            Assert.Equal(copy, input); // the input ξ is not changed
            for (int b = 0; b < 2; b++)
                for (int a = 0; a < 3; a++) expected[a] += eta / 2 * noises[k][b] * gradients[batches[k][b]][a];
        }
        Assert.Equal(expected, xi);
    }

    [Fact]
    public void TheOuStepContractsByOneMinusEtaG()
    {
        // G = diag(2, 0.5, 0), no noise: ξ ← (I − ηG)ξ coordinate by coordinate.
        var g = new double[,] { { 2, 0, 0 }, { 0, 0.5, 0 }, { 0, 0, 0 } };
        double[] xi = [1, -4, 8];
        var next = Coupling.OuStep(xi, g, [[1, 1, 1]], [0], [0.0], 0.25);
        Assert.Equal([0.5, -3.5, 8], next);
        Assert.Equal([1, -4, 8], xi);
    }

    [Fact]
    public void TheCoupledNoiseIsExactlyThePlusMinusNoiseOfAlgorithm1()
    {
        var data = (RegressionDataset)SparseRegressionGenerator.Generate(6, 4, 2, 5, testSize: 0).Train;
        var generator = new RandomStream(17);
        var batch = BatchSampler.WithReplacement(data.Count, 5, generator);
        var twin = RandomStream.FromState(generator.State);
        var (targets, noise) = Coupling.DrawLabelNoise(data, batch, 0.75, generator);
        var reference = (RegressionTargets)new PlusMinusNoise(0.75).Perturb(data, batch, twin);
        Assert.Equal(reference.Values, targets.Values);
        Assert.All(noise, e => Assert.Equal(0.75, Math.Abs(e)));
        for (int b = 0; b < batch.Length; b++) Assert.Equal(data.Targets[batch[b]] + noise[b], targets.Values[b]);
        Assert.Equal(generator.State, twin.State); // the same number of draws
    }
}
