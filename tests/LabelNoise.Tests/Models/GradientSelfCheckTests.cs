using LabelNoise;
using LabelNoise.Models;
using LabelNoise.Noise;
using LabelNoise.Objectives;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Training;
using TorchSharp;
using static TorchSharp.torch;
using LabelNoise.Randomness;
using LabelNoise.Native;

namespace LabelNoise.Tests.Models;

public class GradientSelfCheckTests
{
    /// <summary>
    /// A tanh MLP whose float32 backward is deliberately wrong: the output is y + ε(y − y.detach()), which has
    /// the value y but the gradient (1 + ε)·∂y. In float64 it is the plain MLP.
    /// </summary>
    sealed class PerturbedBackward : nn.Module<Tensor, Tensor>
    {
        readonly Mlp inner;

        public PerturbedBackward(int inputs, int outputs, ulong seed) : base("perturbed")
        {
            inner = new Mlp(inputs, [8], outputs, Activation.Tanh);
            ParameterInitializer.Initialize(inner, new RandomStream(seed));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var y = inner.forward(x);
            if (y.dtype != ScalarType.Float32) return y;
            using var epsilon = KeptScalar.Of(0.01);
            return KeptScalar.Plus(y, y.mul(epsilon).sub(y.mul(epsilon).detach()));
        }
    }

    [Fact]
    public void AWrongFloat32GradientSwitchesTheModelToFloat64AndSaysSo()
    {
        var data = TestData.Images(20, 4, 3, seed: 1);
        var lines = new List<string>();
        var previous = GradientSelfCheck.Warn;
        GradientSelfCheck.Warn = line => { lock (lines) lines.Add(line); };
        try
        {
            using var learner = new TorchLearner(new PerturbedBackward(16, 3, seed: 2), data);
            var check = learner.GradientCheck;
            Assert.Equal(GradientCheckOutcome.SwitchedToFloat64, check.Outcome);
            Assert.InRange(check.GradientError, 0.5 * 0.01, 2 * 0.01); // the (1 + ε) factor, seen as a relative error of ε
            Assert.All(learner.Model.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
            Assert.Contains(lines, l => l.Contains("runs in float64") && l.Contains("PerturbedBackward"));
            Assert.Contains(GradientSelfCheck.Results, r => r.Model == check.Model && r.UsesFloat64);
            Assert.Equal("switched (float64)", (string?)check.ToJson()["outcome"]);

            // In float64 the learner's gradient is the honest one: that of the same MLP by hand.
            var honest = new Mlp(16, [8], 3, Activation.Tanh);
            ParameterInitializer.Initialize(honest, new RandomStream(2));
            honest.to(ScalarType.Float64);
            using var reference = new TorchObjective(honest, data);
            var batch = Enumerable.Range(0, data.Count).ToArray();
            double[] gradient = learner.Gradient(batch, CleanTargets.Of(data, batch));
            double[] expected = reference.Gradient();
            Assert.InRange(GradientSelfCheck.RelativeError(gradient, expected), 0, 1e-12);

            // A second learner of the same kind takes the decision without checking (or warning) again.
            int warned = lines.Count;
            using var again = new TorchLearner(new PerturbedBackward(16, 3, seed: 3), data);
            Assert.True(again.GradientCheck.UsesFloat64);
            Assert.Equal(warned, lines.Count);
        }
        finally { GradientSelfCheck.Warn = previous; }
    }

    [Fact]
    public void AnHonestModelPassesWithFloat32Rounding()
    {
        var data = TestData.Images(20, 6, 4, seed: 3);
        var model = new Mlp(36, [10, 10], 4, Activation.Tanh);
        ParameterInitializer.Initialize(model, new RandomStream(5));
        using var learner = new TorchLearner(model, data, flipProbability: 0.2);
        Assert.Equal(GradientCheckOutcome.Passed, learner.GradientCheck.Outcome);
        Assert.InRange(learner.GradientCheck.GradientError, 1e-9, 1e-5); // float32 rounding: not zero, far below the tolerance
        Assert.InRange(learner.GradientCheck.HessianVectorError, 1e-9, 1e-5);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
    }

    [Fact]
    public void AnOutputThatDoesNotFitTheDataIsOneSentenceBeforeAnyStep()
    {
        var data = TestData.Regression(12, 5, seed: 1);
        var model = new Mlp(5, [4], 3, Activation.Tanh);
        var e = Assert.Throws<SettingException>(() => new TorchLearner(model, data));
        Assert.Contains("[8, 3]", e.Message);
        Assert.Contains("one value per example", e.Message);
    }

    [Fact]
    public void RelativeErrorIsZeroForEqualVectorsAndInfiniteForNonFiniteOnes()
    {
        Assert.Equal(0, GradientSelfCheck.RelativeError([1, 2], [1, 2]));
        Assert.Equal(0.5, GradientSelfCheck.RelativeError([0, 5], [0, 10]), 12);
        Assert.Equal(double.PositiveInfinity, GradientSelfCheck.RelativeError([double.NaN, 0], [1, 0]));
    }
}
