// Label-noise SGD (Algorithm 1, label flipping) on a TorchSharp module of your own, then the theory's
// quantities at the end point: R(θ) (eq. 1), tr ∇²L and λ_max, each with its standard error.
// Usage: dotnet run -c Release -- [steps=2000] [train-size=1000] [probes=20]
using LabelNoise.Data;
using LabelNoise.Measurement;
using LabelNoise.Native;
using LabelNoise.Noise;
using LabelNoise.Objectives;
using LabelNoise.Training;
using TorchSharp;
using LabelNoise.Randomness;
using static TorchSharp.torch;

TorchSharpLoader.EnsureLoaded(); // before the first TorchSharp call (Debian 12 needs it; elsewhere it does nothing)
int steps = args.Length > 0 ? int.Parse(args[0]) : 2000;
int trainSize = args.Length > 1 ? int.Parse(args[1]) : 1000;
int probes = args.Length > 2 ? int.Parse(args[2]) : 20;
const double LearningRate = 0.05, FlipProbability = 0.2;
const int BatchSize = 32;

var train = (ClassificationDataset)DataSpec.Parse("fashion-mnist").Load(new DataOptions { TrainSize = trainSize, TestSize = 0 }).Train;
torch.random.manual_seed(0); // the module's own initialization (PyTorch's default scheme)
using var model = new TinyConvNet(train.ClassCount);

// Algorithm 1: B indices with replacement, a fresh noisy label for each, one SGD step. Two generators, so that
// flip:0 follows plain SGD step for step.
using var learner = new TorchLearner(model, train, FlipProbability);
ILabelNoise noise = new LabelFlipNoise(FlipProbability);
RandomStream sampler = new(1), labels = new(2);
var batch = new int[BatchSize];
BatchTargets? targets = null;
for (int step = 0; step < steps; step++)
{
    BatchSampler.Fill(batch, train.Count, sampler);
    targets = noise.Perturb(train, batch, labels, targets);
    double loss = learner.Step(batch, targets, LearningRate, momentum: 0);
    if (step % Math.Max(1, steps / 5) == 0) Console.WriteLine($"step {step,6}: noisy batch loss {loss:F4}");
}

// L is smoothed cross entropy minus its minimum (0 at a global minimizer); λ = η/B for label flipping (σ² = 1).
using var objective = new TorchObjective(model, train, FlipProbability);
var m = PointMeasurer.Measure(objective, new MeasurementSettings
{
    LearningRate = LearningRate, BatchSize = BatchSize, NoiseStdDev = 1, Probes = probes, LanczosSteps = 20, Deflation = 5, Seed = 0,
});
Console.WriteLine($"after {steps} steps on {train.Count} images ({m.ParameterCount:N0} parameters):");
Console.WriteLine($"  L        = {m.Loss:G5}   train accuracy {learner.Evaluate(train, withGradient: false).Accuracy:P1}");
Console.WriteLine($"  tr ∇²L   = {m.Trace.Value:G5} ± {m.Trace.StandardError:G2}");
Console.WriteLine($"  λ_max    ≥ {m.TopEigenvalue.Value:G5}   (Lanczos; an eigenvalue lies within {m.TopEigenvalueResidual:G2} of it)");
Console.WriteLine($"  R(θ)     = {m.Regularizer.Value:G5} ± {m.Regularizer.StandardError:G2}   (η = {LearningRate})");
Console.WriteLine($"  L + λR   = {m.RegularizedLoss.Value:G5} ± {m.RegularizedLoss.StandardError:G2}   (λ = {m.Lambda:G3})");

/// <summary>A model the library does not define: conv 3×3 (8 channels) – ReLU – 2×2 max-pool – Linear.</summary>
sealed class TinyConvNet : nn.Module<Tensor, Tensor>
{
    readonly nn.Module<Tensor, Tensor> layers;

    public TinyConvNet(int classes) : base("tiny")
    {
        layers = nn.Sequential(
            ("conv", nn.Conv2d(1, 8, 3, padding: 1)), ("relu", nn.ReLU()), ("pool", nn.MaxPool2d(2)),
            ("flatten", nn.Flatten()), ("head", nn.Linear(8 * 14 * 14, classes)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => layers.forward(x);
}
