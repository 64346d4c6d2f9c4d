using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Native;
using LabelNoise.Tests.TestSupport;
using TorchSharp;
using static TorchSharp.torch;
using LabelNoise.Randomness;

namespace LabelNoise.Tests.Native;

public class OneDnnTests
{
    [Fact]
    public void IsOffForTheProcessUnlessTheUserAskedForIt()
    {
        TorchSharpLoader.EnsureLoaded();
        if (OneDnn.RequestedOn) Assert.True(OneDnn.Outcome.StartsWith("on") || OneDnn.Outcome.Contains("self-check"), OneDnn.Outcome);
        else
        {
            Assert.False(OneDnn.Enabled, OneDnn.Outcome);
            Assert.StartsWith("off", OneDnn.Outcome);
        }
    }

    /// <summary>
    /// The case that was wrong (4 % relative error, at times NaN, with oneDNN's backward-data kernels on AVX-512
    /// processors): a two-convolution net with 2 and 4 channels, float32 gradient against the float64 gradient
    /// of the same module (the float64 convolution path is checked against central differences below).
    /// </summary>
    [Fact]
    public void SmallChannelConvolutionGradientsAgreeWithFloat64InEverySeed()
    {
        if (OneDnn.RequestedOn) return; // the user's choice: the self-check guards it instead
        for (ulong seed = 0; seed < 8; seed++)
        {
            var data = TestData.Images(40, 28, 10, seed);
            var net = new SmallCnn(1, 28, 28, 10, baseWidth: 2);
            ParameterInitializer.Initialize(net, new RandomStream(seed));
            double[] g32 = Gradient(net, data, ScalarType.Float32);
            net.to(ScalarType.Float64);
            double[] g64 = Gradient(net, data, ScalarType.Float64);
            Assert.InRange(GradientSelfCheck.RelativeError(g32, g64), 0, 1e-5);
        }
    }

    /// <summary>
    /// The float64 reference itself: a smooth twin of the net (tanh, no pooling: no kinks for a finite difference to
    /// straddle) has a float64 gradient whose slope along a random direction equals the central difference.
    /// </summary>
    [Fact]
    public void Float64ConvolutionGradientsEqualCentralDifferences()
    {
        for (ulong seed = 0; seed < 3; seed++)
        {
            var data = TestData.Images(40, 28, 10, seed);
            var net = nn.Sequential(nn.Conv2d(1, 2, 3, padding: 1), nn.Tanh(), nn.Conv2d(2, 4, 3, padding: 1), nn.Tanh(), nn.Flatten(), nn.Linear(4 * 28 * 28, 10));
            ParameterInitializer.Initialize(net, new RandomStream(seed));
            net.to(ScalarType.Float64);
            double[] gradient = Gradient(net, data, ScalarType.Float64);
            var direction = Direction(gradient.Length, seed);
            double slope = gradient.Select((g, i) => g * direction[i]).Sum();
            Assert.InRange(Math.Abs(CentralDifference(net, data, direction) - slope), 0, 1e-6 * Math.Abs(slope));
        }
    }

    static double[] Direction(int length, ulong seed)
    {
        var generator = new RandomStream(seed + 100);
        return Enumerable.Range(0, length).Select(_ => generator.NextGaussian()).ToArray();
    }

    /// <summary>(L(θ + hv) − L(θ − hv)) / 2h in float64.</summary>
    static double CentralDifference(nn.Module<Tensor, Tensor> net, ClassificationDataset data, double[] v)
    {
        const double h = 1e-5;
        var parameters = net.parameters().ToArray();
        double[] theta = FlatParameters.Read(parameters);
        double LossAt(double sign)
        {
            FlatParameters.Write(parameters, theta.Select((t, i) => t + sign * h * v[i]).ToArray());
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var x = tensor(data.Features).reshape(data.Count, 1, 28, 28).to_type(ScalarType.Float64);
            return nn.functional.cross_entropy(net.forward(x), tensor(data.Labels.Select(l => (long)l).ToArray())).ToDouble();
        }
        double slope = (LossAt(1) - LossAt(-1)) / (2 * h);
        FlatParameters.Write(parameters, theta);
        return slope;
    }

    static double[] Gradient(nn.Module<Tensor, Tensor> net, ClassificationDataset data, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var x = tensor(data.Features).reshape(data.Count, 1, 28, 28).to_type(dtype);
        var loss = nn.functional.cross_entropy(net.forward(x), tensor(data.Labels.Select(l => (long)l).ToArray()));
        var grads = autograd.grad([loss], net.parameters().ToArray());
        return cat(grads.Select(g => g.reshape(-1).to_type(ScalarType.Float64)).ToArray()).data<double>().ToArray();
    }
}
