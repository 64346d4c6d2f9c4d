using TorchSharp;
using LabelNoise.Curvature;
using LabelNoise.Experiments;
using LabelNoise.Theory;
using Generator = LabelNoise.Randomness.Generator;

namespace LabelNoise.Tests.Experiments;

public class EscapeCurvatureTests
{
    /// <summary>Three outliers over a bulk of both signs, as network Hessians near a minimum have (the largest below 2/η = 20).</summary>
    static readonly double[] Spectrum = [.. new[] { 12.0, 7.0, 4.0 }, .. Enumerable.Range(0, 37).Select(i => 0.5 - i * 0.02)];

    static readonly RegularizerSettings Eta = new(0.1);

    [Fact]
    public void DeflatingEveryDirectionGivesTheExactTraceAndRegularizerWithTheStatedProductCount()
    {
        var op = MatrixOperator.FromSpectrum(Spectrum[..8], new Generator(1));
        var settings = new CurvatureSettings { Probes = 3, LanczosSteps = 8, GuardSteps = 8, Deflation = 8 };
        var numbers = EscapeCurvature.Estimate(op, settings, Eta, new Generator(2));
        Assert.Equal(Spectrum[..8].Sum(), numbers.Trace, 8);
        Assert.Equal(new ImplicitRegularizer(Eta).FromEigenvalues(Spectrum[..8]), numbers.Regularizer, 8);
        Assert.True(numbers.TraceStandardError < 1e-8, $"SE {numbers.TraceStandardError}");
        Assert.Equal(12, numbers.LargestEigenvalue, 8);
        Assert.InRange(numbers.Products, 1, settings.Products); // at most: Lanczos stops early on an invariant subspace
    }

    [Theory]
    [InlineData(CurvatureEstimator.SharedDeflatedSlq, 3)]
    [InlineData(CurvatureEstimator.SharedDeflatedSlq, 0)]
    [InlineData(CurvatureEstimator.HutchinsonAndSlq, 0)]
    public void EstimatesAreWithinFourStandardErrorsOfTheTruthAndDeflationShrinksTheError(CurvatureEstimator estimator, int deflation)
    {
        var op = MatrixOperator.FromSpectrum(Spectrum, new Generator(3));
        var settings = new CurvatureSettings { Estimator = estimator, Probes = 30, LanczosSteps = 12, GuardSteps = 20, Deflation = deflation };
        double trace = Spectrum.Sum(), regularizer = new ImplicitRegularizer(Eta).FromEigenvalues(Spectrum);
        var numbers = EscapeCurvature.Estimate(op, settings, Eta, new Generator(4));
        Assert.InRange(numbers.Trace, trace - 4 * numbers.TraceStandardError, trace + 4 * numbers.TraceStandardError);
        Assert.InRange(numbers.Regularizer, regularizer - 4 * numbers.RegularizerStandardError - 1e-6, regularizer + 4 * numbers.RegularizerStandardError + 1e-6);
        Assert.InRange(numbers.Products, 1, settings.Products);
        if (deflation > 0)
        {
            // With the three outliers treated exactly, the error is far below that of the same probes without deflation.
            var plain = EscapeCurvature.Estimate(op, settings with { Deflation = 0 }, Eta, new Generator(4));
            Assert.True(numbers.TraceStandardError < plain.TraceStandardError / 3, $"{numbers.TraceStandardError} vs {plain.TraceStandardError}");
        }
    }

    [Fact]
    public void RegularizerIsInfiniteOnceTheLargestEigenvalueReachesTwoOverEta()
    {
        var op = MatrixOperator.FromSpectrum([25.0, 1, 0.5, 0.2], new Generator(5));
        var numbers = EscapeCurvature.Estimate(op, new CurvatureSettings { Probes = 2, LanczosSteps = 4, GuardSteps = 4, Deflation = 4 }, Eta, new Generator(6));
        Assert.Equal(double.PositiveInfinity, numbers.Regularizer);
        Assert.Equal(26.7, numbers.Trace, 8);
    }

    [Fact]
    public void BadSettingsAreRejectedWithTheParameterNamed()
    {
        var op = MatrixOperator.Diagonal(1, 2, 3);
        Assert.Equal("Probes", Assert.Throws<ArgumentOutOfRangeException>(() => EscapeCurvature.Estimate(op, new CurvatureSettings { Probes = 1 }, Eta, new Generator(1))).ParamName);
        Assert.Equal("Deflation", Assert.Throws<ArgumentOutOfRangeException>(() => EscapeCurvature.Estimate(op, new CurvatureSettings { Deflation = 40 }, Eta, new Generator(1))).ParamName);
    }

    [Fact]
    public void TheLibraryEstimatorTakesAReluMlpsTraceExactlyAndRAroundIt()
    {
        var data = LabelNoise.Tests.TestSupport.TestData.Images(30, 3, 4, seed: 2);
        var net = new LabelNoise.Models.Mlp(data.FeatureCount, [6, 5], data.ClassCount, LabelNoise.Models.Activation.Relu);
        LabelNoise.Models.ParameterInitializer.Initialize(net, new Generator(4));
        net.to(torch.ScalarType.Float64);
        using var objective = new LabelNoise.Objectives.TorchObjective(net, data, 0.2);
        var settings = new CurvatureSettings { Probes = 40, LanczosSteps = 6, GuardSteps = 6 };
        var exact = objective.ExactHessianTrace()!;
        var numbers = EscapeCurvature.Estimate(objective, settings, Eta, new Generator(3));
        Assert.Equal(exact.Value, numbers.Trace, 12);
        Assert.Equal(0, numbers.TraceStandardError);
        // Against the dense spectrum: R within 4 standard errors (fixed seed) and the products within the stated budget.
        var dense = DenseMatrixOf(objective);
        DenseMatrix.Symmetrize(dense);
        double truth = new ImplicitRegularizer(Eta).FromMatrix(dense);
        Assert.True(Math.Abs(numbers.Regularizer - truth) <= 4 * numbers.RegularizerStandardError + 1e-9 * Math.Abs(truth),
            $"R {numbers.Regularizer} ± {numbers.RegularizerStandardError} vs dense {truth}");
        Assert.InRange(numbers.Products, 1, settings.Products);
    }

    static double[,] DenseMatrixOf(LabelNoise.Objectives.TorchObjective objective)
    {
        var hessian = objective.Hessian();
        var columns = new double[objective.Dimension][];
        for (int i = 0; i < columns.Length; i++)
        {
            var e = new double[objective.Dimension];
            e[i] = 1;
            columns[i] = hessian.Apply(e);
        }
        return DenseMatrix.FromColumns(columns);
    }
}
