using LabelNoise.Experiments;
using LabelNoise.Reporting;
using LabelNoise.Tests.TestSupport;

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
        Assert.All(experiment.Evaluate(root), c => Assert.True(c.Holds, c.Statement + ": " + c.Measured));

        var small = CsvTable.Read(Path.Combine(root, "small-eta.csv"));
        var broken = new CsvTable(small.Columns);
        for (int i = 0; i < small.RowCount; i++) broken.Add(small[i, "eta"], small[i, "regularizer"], 2 * small[i, "trace"], small[i, "trace"]);
        broken.Write(Path.Combine(root, "small-eta.csv"));
        var claims = experiment.Evaluate(root);
        Assert.False(claims[0].Holds);
        Assert.True(claims[1].Holds);
    }

    [Fact]
    public void TheDocumentedFactorOfAQuarter()
    {
        // R(λ₁)/log(2/ν) → λ₁/4 as η = (2 − ν)/λ₁: the top term alone, in closed form.
        const double lambda = 3.0, nu = 1e-12;
        double eta = (2 - nu) / lambda;
        double top = new LabelNoise.Theory.ImplicitRegularizer(eta).Term(lambda);
        Assert.Equal(lambda / 4, top / Math.Log(2 / nu), 2);
    }
}
