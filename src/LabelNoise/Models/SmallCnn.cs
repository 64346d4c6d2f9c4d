using TorchSharp;
using static TorchSharp.torch;

namespace LabelNoise.Models;

/// <summary>
/// A small convolutional network for 28×28 or 32×32 images: two 3×3 conv–ReLU–2×2 max-pool
/// stages (w and 2w channels), a hidden Linear layer of 4w units, and a Linear head.
/// </summary>
public sealed class SmallCnn : nn.Module<Tensor, Tensor>
{
    readonly nn.Module<Tensor, Tensor> layers;

    public SmallCnn(int channels, int height, int width, int classes, int baseWidth = 32) : base("cnn")
    {
        int flat = 2 * baseWidth * (height / 4) * (width / 4);
        layers = nn.Sequential(
            ("conv1", nn.Conv2d(channels, baseWidth, 3, padding: 1)), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2)),
            ("conv2", nn.Conv2d(baseWidth, 2 * baseWidth, 3, padding: 1)), ("relu2", nn.ReLU()), ("pool2", nn.MaxPool2d(2)),
            ("flatten", nn.Flatten()),
            ("fc", nn.Linear(flat, 4 * baseWidth)), ("relu3", nn.ReLU()),
            ("head", nn.Linear(4 * baseWidth, classes)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => layers.forward(x);
}
