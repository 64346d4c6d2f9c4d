using TorchSharp;
using LabelNoise.Curvature;
using LabelNoise.Experiments;
using LabelNoise.Measurement;
using LabelNoise.Theory;
using LabelNoise.Randomness;

namespace LabelNoise.Tests.Experiments;

public class CurvatureSettingsTests
{
    static readonly RegularizerSettings Eta = new(0.1);

    [Fact]
    public void BadSettingsAreRejectedWithTheParameterNamed()
    {
        Assert.Equal("Probes", Assert.Throws<ArgumentOutOfRangeException>(() => new CurvatureSettings { Probes = 1 }.Request(Eta)).ParamName);
        Assert.Equal("Deflation", Assert.Throws<ArgumentOutOfRangeException>(() => new CurvatureSettings { Deflation = 40 }.Request(Eta)).ParamName);
    }

    [Fact]
    public void EscapesRequestTakesAReluMlpsTraceExactlyAndRAroundItWithinTheStatedProducts()
    {
        var data = LabelNoise.Tests.TestSupport.TestData.Images(30, 3, 4, seed: 2);
        var net = new LabelNoise.Models.Mlp(data.FeatureCount, [6, 5], data.ClassCount, LabelNoise.Models.Activation.Relu);
        LabelNoise.Models.ParameterInitializer.Initialize(net, new RandomStream(4));
        net.to(torch.ScalarType.Float64);
        using var objective = new LabelNoise.Objectives.TorchObjective(net, data, 0.2);
        var settings = new CurvatureSettings { Probes = 40, LanczosSteps = 6, GuardSteps = 6 };
        var exact = objective.ExactHessianTrace()!;
        var result = CurvatureMeasurer.Measure(objective, settings.Request(Eta), new RandomStream(3));
        Assert.Equal(exact.Value, result.Trace!.Estimate, 12);
        Assert.Equal(0, result.Trace.StandardError);
        Assert.Equal(EstimateStop.Exact, result.Trace.Stop);
        // Against the dense spectrum: R within 4 standard errors (fixed seed) and the products within the stated budget.
        var hessian = objective.Hessian();
        var columns = Enumerable.Range(0, objective.Dimension).Select(i =>
        {
            var e = new double[objective.Dimension];
            e[i] = 1;
            return hessian.Apply(e);
        }).ToArray();
        var dense = DenseMatrix.FromColumns(columns);
        DenseMatrix.Symmetrize(dense);
        double truth = new ImplicitRegularizer(Eta).FromMatrix(dense);
        var r = result.Regularizer!;
        Assert.True(Math.Abs(r.Estimate - truth) <= 4 * r.StandardError + 1e-9 * Math.Abs(truth), $"R {r.Estimate} ± {r.StandardError} vs dense {truth}");
        Assert.InRange(result.Products, 1, settings.Products);
    }
}
