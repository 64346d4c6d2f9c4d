using LabelNoise.Models;
using LabelNoise.Randomness;
using TorchSharp;
using ScalarType = TorchSharp.torch.ScalarType;

namespace LabelNoise.Tests.Models;

public class NetworkTests
{
    [Fact]
    public void InitializationIsAFunctionOfTheGeneratorAlone()
    {
        using var a = new Mlp(6, [4], 3, Activation.Relu);
        using var b = new Mlp(6, [4], 3, Activation.Relu);
        ParameterInitializer.Initialize(a, new RandomStream(5));
        ParameterInitializer.Initialize(b, new RandomStream(5));
        foreach (var (p, q) in a.parameters().Zip(b.parameters()))
            Assert.Equal(p.data<float>().ToArray(), q.data<float>().ToArray());
        var first = a.parameters().First();
        double bound = 1 / Math.Sqrt(6);
        Assert.True(first.abs().max().item<float>() <= bound + 1e-6);
    }

    [Fact]
    public void GroupNormScalesStartAtOneAndShiftsAtZero()
    {
        using var net = new ResNet18(3, 10);
        ParameterInitializer.Initialize(net, new RandomStream(1));
        var norms = net.named_parameters().Where(p => p.parameter.dim() == 1 && !p.name.StartsWith("body.fc", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(norms);
        foreach (var (name, p) in norms)
            Assert.Equal(name.EndsWith("weight", StringComparison.Ordinal) ? 1f : 0f, p.mean().item<float>());
    }

    [Fact]
    public void ResNet18IsTheCifarVariantWithGroupNorm()
    {
        using var net = new ResNet18(3, 10);
        long count = net.parameters().Sum(p => p.numel());
        Assert.InRange(count, 11_000_000, 11_300_000); // ResNet-18 for CIFAR: ≈ 11.17 M parameters
        Assert.Contains(net.modules(), m => m is TorchSharp.Modules.GroupNorm);
        Assert.DoesNotContain(net.modules(), m => m is TorchSharp.Modules.BatchNorm2d || m is TorchSharp.Modules.MaxPool2d);
        using var x = torch.zeros(2, 3, 32, 32);
        using var y = net.forward(x);
        Assert.Equal([2L, 10], y.shape);
    }

    [Fact]
    public void SmallCnnTakesBothImageSizes()
    {
        foreach (var (c, side) in new[] { (1, 28), (3, 32) })
        {
            using var net = new SmallCnn(c, side, side, 10, baseWidth: 4);
            using var y = net.forward(torch.zeros(1, c, side, side));
            Assert.Equal([1L, 10], y.shape);
        }
    }

    [Fact]
    public void TorchQuadraticMatchesTheHandModel()
    {
        using var twin = new TorchQuadratic(3);
        var hand = new QuadraticModel(3);
        double[] x = [0.5, -2, 1.25];
        using var input = torch.tensor(x, dtype: ScalarType.Float64).reshape(1, 3);
        Assert.Equal(hand.Predict(hand.DefaultParameters(), x), twin.forward(input).item<double>(), 14);
    }
}
