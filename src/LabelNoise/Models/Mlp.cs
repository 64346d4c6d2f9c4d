using TorchSharp;
using static TorchSharp.torch;

namespace LabelNoise.Models;

public enum Activation { Relu, Gelu, Tanh }

/// <summary>A fully connected network: flatten, then Linear–activation layers of the given widths, then a Linear head.</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    readonly nn.Module<Tensor, Tensor> layers;

    public Mlp(int inputs, IReadOnlyList<int> hiddenWidths, int outputs, Activation activation) : base("mlp")
    {
        Activation = activation;
        var sequence = new List<(string, nn.Module<Tensor, Tensor>)> { ("flatten", nn.Flatten()) };
        int previous = inputs;
        for (int k = 0; k < hiddenWidths.Count; k++)
        {
            sequence.Add(($"linear{k}", nn.Linear(previous, hiddenWidths[k])));
            sequence.Add(($"act{k}", activation switch
            {
                Activation.Relu => nn.ReLU(),
                Activation.Gelu => nn.GELU(),
                _ => nn.Tanh(),
            }));
            previous = hiddenWidths[k];
        }
        sequence.Add(("head", nn.Linear(previous, outputs)));
        layers = nn.Sequential(sequence);
        RegisterComponents();
    }

    public Activation Activation { get; }

    /// <summary>The Linear layers from input to head (the activation sits between consecutive ones).</summary>
    public IReadOnlyList<TorchSharp.Modules.Linear> Linears => layers.children().OfType<TorchSharp.Modules.Linear>().ToArray();

    public override Tensor forward(Tensor x) => layers.forward(x);
}
