using TorchSharp;
using static TorchSharp.torch;

namespace LabelNoise.Models;

/// <summary>The autograd twin of <see cref="LinearModel"/>: f(x; θ) = ⟨θ, x⟩, float64.</summary>
public sealed class TorchLinear : nn.Module<Tensor, Tensor>
{
    readonly TorchSharp.Modules.Parameter theta;

    public TorchLinear(int featureCount) : base("linear")
    {
        theta = nn.Parameter(zeros(featureCount, dtype: ScalarType.Float64));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => x.matmul(theta);
}

/// <summary>The autograd twin of <see cref="QuadraticModel"/>: f(x; u, v) = ⟨u⊙u − v⊙v, x⟩, float64.</summary>
public sealed class TorchQuadratic : nn.Module<Tensor, Tensor>
{
    readonly TorchSharp.Modules.Parameter u;
    readonly TorchSharp.Modules.Parameter v;

    public TorchQuadratic(int featureCount) : base("quadratic")
    {
        u = nn.Parameter(ones(featureCount, dtype: ScalarType.Float64));
        v = nn.Parameter(zeros(featureCount, dtype: ScalarType.Float64));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => x.matmul(u * u - v * v);
}
