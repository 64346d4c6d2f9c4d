using LabelNoise.Models;
using LabelNoise.Data;
using LabelNoise.Losses;
using LabelNoise.Noise;
using TorchSharp;
using static TorchSharp.torch;
using LabelNoise.Native;

namespace LabelNoise.Training;

/// <summary>
/// SGD with autograd on any TorchSharp module. The training set lives in one tensor; a step
/// gathers the batch rows, fits the given targets and applies heavy-ball SGD to the parameters in
/// place (PyTorch's update: v ← βv + g, θ ← θ − ηv). Every step runs in its own dispose scope.
/// Classification loss is cross entropy (smoothed for smoothed targets); the reported loss L
/// subtracts the minimum of the smoothed cross entropy at <see cref="FlipProbability"/>. A ReLU
/// <see cref="Mlp"/> takes the same step written out (<see cref="MlpSgdStep"/>: no graph, the update
/// fused into the gradient's matrix product).
/// </summary>
public sealed class TorchLearner : ILearner
{
    const int EvaluationChunk = 2048;
    readonly nn.Module<Tensor, Tensor> model;
    readonly Dataset train;
    readonly Tensor features;
    readonly Tensor? labels;
    readonly Tensor? targets;
    readonly TorchSharp.Modules.Parameter[] parameters;
    readonly Tensor[] velocity;
    readonly ScalarType dtype;
    readonly MlpSgdStep? writtenStep;

    /// <remarks>A float32 model first passes the <see cref="GradientSelfCheck"/>, which may switch it to float64.</remarks>
    public TorchLearner(nn.Module<Tensor, Tensor> model, Dataset train, double flipProbability = 0, ScalarType dtype = ScalarType.Float32)
    {
        this.model = model;
        this.train = train;
        FlipProbability = flipProbability;
        model.to(dtype);
        GradientCheck = GradientSelfCheck.Ensure(model, train);
        this.dtype = GradientCheck.UsesFloat64 ? ScalarType.Float64 : dtype;
        parameters = model.parameters().ToArray();
        velocity = parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        features = FeatureTensor(train).DetachFromDisposeScope();
        if (train is ClassificationDataset c) labels = LabelTensor(c).DetachFromDisposeScope();
        if (train is RegressionDataset r) targets = tensor(r.Targets, dtype: this.dtype).DetachFromDisposeScope();
        writtenStep = MlpSgdStep.TryCreate(model, parameters, velocity);
    }

    public nn.Module<Tensor, Tensor> Model => model;
    public double FlipProbability { get; }

    /// <summary>What the gradient self-check found for this model (and did about it).</summary>
    public GradientCheck GradientCheck { get; }
    public int ParameterCount => FlatParameters.Count(parameters);

    public double Step(IReadOnlyList<int> batch, BatchTargets batchTargets, double learningRate, double momentum)
    {
        using var scope = NewDisposeScope();
        var index = tensor(batch.Select(i => (long)i).ToArray(), dtype: ScalarType.Int64);
        using var count = KeptScalar.Of(batch.Count);
        if (writtenStep is not null)
            return writtenStep.Step(features.index_select(0, index), output => BatchLoss(output, batchTargets).div(count), learningRate, momentum);
        var output = model.forward(features.index_select(0, index));
        var loss = BatchLoss(output, batchTargets).div(count);
        model.zero_grad();
        loss.backward();
        using var alpha = KeptScalar.Of(-learningRate);
        using var beta = KeptScalar.Of(momentum);
        using (no_grad())
        {
            for (int k = 0; k < parameters.Length; k++)
                HeavyBall(parameters[k], parameters[k].grad ?? throw new InvalidOperationException($"parameter {k} received no gradient"),
                    velocity[k], alpha, beta, momentum);
        }
        return loss.ToDouble();
    }

    /// <summary>PyTorch's SGD update of one parameter: v ← βv + g, θ ← θ + step·v (θ ← θ + step·g when β = 0, leaving v).</summary>
    internal static void HeavyBall(Tensor parameter, Tensor gradient, Tensor velocity, Scalar step, Scalar beta, double momentum)
    {
        if (momentum == 0) parameter.add_(gradient, alpha: step);
        else
        {
            velocity.mul_(beta).add_(gradient, KeptScalar.One);
            parameter.add_(velocity, alpha: step);
        }
    }

    public double[] Gradient(IReadOnlyList<int> batch, BatchTargets batchTargets)
    {
        using var scope = NewDisposeScope();
        var index = tensor(batch.Select(i => (long)i).ToArray(), dtype: ScalarType.Int64);
        using var count = KeptScalar.Of(batch.Count);
        var loss = BatchLoss(model.forward(features.index_select(0, index)), batchTargets).div(count);
        var grads = autograd.grad([loss], parameters, allow_unused: true);
        return cat(grads.Select((g, k) => (g ?? zeros_like(parameters[k])).reshape(-1).to_type(ScalarType.Float64)).ToArray()).data<double>().ToArray();
    }

    Tensor BatchLoss(Tensor output, BatchTargets batchTargets) => batchTargets switch
    {
        RegressionTargets r => SquaredError.Sum(output.reshape(-1), tensor(r.Values, dtype: output.dtype)),
        HardLabels h => CrossEntropy.Sum(output, tensor(h.Labels.Select(l => (long)l).ToArray())),
        SmoothedLabels s => CrossEntropy.SmoothedSum(output, tensor(s.Labels.Select(l => (long)l).ToArray()), s.FlipProbability),
        _ => throw new ArgumentException($"unsupported targets {batchTargets.GetType().Name}", nameof(batchTargets)),
    };

    /// <summary>Sum over a chunk of the reported loss (before subtracting the minimum) with clean labels.</summary>
    Tensor CleanLossSum(Tensor output, Tensor? chunkLabels, Tensor? chunkTargets) => chunkLabels is not null
        ? CrossEntropy.SmoothedSum(output, chunkLabels, FlipProbability)
        : SquaredError.Sum(output.reshape(-1), chunkTargets!);

    public Evaluation Evaluate(Dataset data, bool withGradient)
    {
        bool same = ReferenceEquals(data, train);
        var x = same ? features : FeatureTensor(data);
        var y = same ? labels : data is ClassificationDataset c ? LabelTensor(c) : null;
        var t = same ? targets : data is RegressionDataset r ? tensor(r.Targets, dtype: dtype) : null;
        try
        {
            model.eval();
            double loss = 0;
            long correct = 0;
            if (withGradient) model.zero_grad();
            for (int start = 0; start < data.Count; start += EvaluationChunk)
            {
                using var scope = NewDisposeScope();
                int length = Math.Min(EvaluationChunk, data.Count - start);
                var chunkLabels = y?.narrow(0, start, length);
                using var grad = set_grad_enabled(withGradient);
                var output = model.forward(x.narrow(0, start, length));
                var sum = CleanLossSum(output, chunkLabels, t?.narrow(0, start, length));
                if (withGradient)
                {
                    using var count = KeptScalar.Of(data.Count);
                    sum.div(count).backward();
                }
                loss += sum.ToDouble();
                if (chunkLabels is not null) correct += output.argmax(1).eq(chunkLabels).sum().ToInt64();
            }
            double? gradientNorm = null;
            if (withGradient)
            {
                double squares = 0;
                foreach (var p in parameters)
                    if (p.grad is { } g) squares += g.square().sum().ToDouble();
                gradientNorm = Math.Sqrt(squares);
                model.zero_grad();
            }
            double mean = loss / data.Count;
            if (y is not null) mean -= CrossEntropy.SmoothedMinimum(FlipProbability, ((ClassificationDataset)data).ClassCount);
            return new Evaluation(mean, y is null ? null : (double)correct / data.Count, gradientNorm);
        }
        finally
        {
            model.train();
            if (!same) { x.Dispose(); y?.Dispose(); t?.Dispose(); }
        }
    }

    public double[] GetParameters() => FlatParameters.Read(parameters);

    public void SetParameters(ReadOnlySpan<double> values) => FlatParameters.Write(parameters, values);

    public void SaveState(string folder)
    {
        model.save(Path.Combine(folder, ParameterSource.StateDictFile));
        StateVector.Write(Path.Combine(folder, "velocity.bin"), FlatParameters.Read(velocity));
    }

    public void LoadState(string folder)
    {
        var modelFile = Path.Combine(folder, ParameterSource.StateDictFile);
        if (!File.Exists(modelFile)) throw new DataFormatException(modelFile, "checkpoint file not found");
        model.load(modelFile);
        FlatParameters.Write(velocity, StateVector.Read(Path.Combine(folder, "velocity.bin"), ParameterCount));
    }

    Tensor FeatureTensor(Dataset data) => DataTensors.Features(data, dtype);

    static Tensor LabelTensor(ClassificationDataset data) => DataTensors.Labels(data);

    public void Dispose()
    {
        features.Dispose();
        labels?.Dispose();
        targets?.Dispose();
        foreach (var v in velocity) v.Dispose();
        model.Dispose();
    }
}
