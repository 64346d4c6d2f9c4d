using LabelNoise.Experiments;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Files;
using static LabelNoise.Tests.TestSupport.ClaimMargins;

namespace LabelNoise.Tests.Experiments;

public class RegularizationStrengthTests
{
    [Fact]
    public void ClaimsHoldAndBreakingTheDataFlipsThem()
    {
        using var folder = new TempFolder();
        var experiment = new RegularizationStrength();
        ExperimentRunner.Run(experiment, folder.Path, ExperimentScale.Tiny, 0);
        var root = Path.Combine(folder.Path, experiment.Name);
        Assert.All(WithConsistentMargins(experiment.Evaluate(root)), c => Assert.True(c.Holds, c.Statement + ": " + c.Measured));

        var small = CsvTable.Read(Path.Combine(root, "small-eta.csv"));
        var broken = new CsvTable(small.Columns);
        for (int i = 0; i < small.RowCount; i++) broken.Add(small[i, "eta"], small[i, "regularizer"], 2 * small[i, "trace"], small[i, "trace"]);
        broken.Write(Path.Combine(root, "small-eta.csv"));
        var claims = WithConsistentMargins(experiment.Evaluate(root));
        Assert.False(claims[0].Holds);
        Assert.True(claims[1].Holds);
        Assert.True(claims[2].Holds);
        CsvRewrite.Rewrite(Path.Combine(root, "small-eta.csv"), small, (t, i, c) => t[i, c]);

        // 4R/log(2/ν) off λ₁ by a constant 1 %: the error no longer shrinks like 1/log(2/ν).
        var sharpness = Path.Combine(root, "sharpness.csv");
        var sharp = CsvTable.Read(sharpness);
        CsvRewrite.Rewrite(sharpness, sharp, (t, i, c) => c == "four_r_over_log" ? 1.01 * t[i, "lambda_max"] : t[i, c]);
        claims = WithConsistentMargins(experiment.Evaluate(root));
        Assert.True(claims[0].Holds);
        Assert.False(claims[1].Holds);
        Assert.True(claims[2].Holds);
        // An error that grows as ν → 0 fails too.
        CsvRewrite.Rewrite(sharpness, sharp, (t, i, c) => c == "four_r_over_log" ? t[i, "lambda_max"] * (1 + 0.01 * (i + 1)) : t[i, c]);
        Assert.False(WithConsistentMargins(experiment.Evaluate(root))[1].Holds);
        CsvRewrite.Rewrite(sharpness, sharp, (t, i, c) => t[i, c]);

        // R(λ) = λ/4 for every η (no extra penalty at large η): the Fig. 1 claim fails.
        var fig1 = Path.Combine(root, "fig1.csv");
        var curves = CsvTable.Read(fig1);
        CsvRewrite.Rewrite(fig1, curves, (t, i, c) => c == "regularizer" ? t[i, "small_eta_limit"] : t[i, c]);
        claims = WithConsistentMargins(experiment.Evaluate(root));
        Assert.True(claims[0].Holds);
        Assert.True(claims[1].Holds);
        Assert.False(claims[2].Holds);
        // A penalty that shrinks as η grows fails as well.
        var largest = curves.Column("eta").Max();
        CsvRewrite.Rewrite(fig1, curves, (t, i, c) => c == "regularizer" && t[i, "eta"] == largest ? 1.01 * t[i, "small_eta_limit"] : t[i, c]);
        Assert.False(WithConsistentMargins(experiment.Evaluate(root))[2].Holds);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(20)]
    [InlineData(40)]
    public void TheDocumentedFactorOfAQuarter(int nuExponent)
    {
        // At η = (2 − ν)/λ₁ the top term is r(λ₁) = −log(1 − ηλ₁/2)/(2η) = log(2/ν)·λ₁/(2(2 − ν)) exactly, so
        // r(λ₁)/log(2/ν) = λ₁/(2(2 − ν)) → λ₁/4, and its distance from λ₁/4 is λ₁ν/(4(2 − ν)). ν = 2⁻ᵏ and λ₁ = 2 make η and
        // 1 − ηλ₁/2 = ν/2 exact in float64 (a rounded η would move 1 − ηλ₁/2 by ~1e-16, a relative 2e-4 of ν/2 at ν = 1e-12).
        const double lambda = 2.0;
        double nu = Math.ScaleB(1, -nuExponent);
        double eta = (2 - nu) / lambda;
        double ratio = new LabelNoise.Theory.ImplicitRegularizer(eta).Term(lambda) / Math.Log(2 / nu);
        double closedForm = lambda / (2 * (2 - nu));
        Assert.True(Math.Abs(ratio - closedForm) <= 1e-12 * closedForm, $"{ratio} vs the closed form {closedForm}");
        Assert.True(Math.Abs(closedForm - lambda / 4 - lambda * nu / (4 * (2 - nu))) <= 1e-15);
    }
}
