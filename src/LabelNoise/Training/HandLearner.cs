using System.Numerics;
using LabelNoise.Data;
using LabelNoise.Losses;
using LabelNoise.Models;
using LabelNoise.Noise;

namespace LabelNoise.Training;

/// <summary>
/// SGD on a hand-written scalar model (linear, quadratic) in plain float64 loops: the gradient of
/// L̂ = (1/B) Σ ½(fᵢ − ỹᵢ)² is (1/B) Σ (fᵢ − ỹᵢ)∇fᵢ. No allocation per step.
/// </summary>
public sealed class HandLearner : ILearner
{
    readonly IHandModel model;
    readonly RegressionDataset train;
    readonly double[] parameters, velocity, gradient;

    public HandLearner(IHandModel model, RegressionDataset train)
    {
        if (model.FeatureCount != train.FeatureCount)
            throw new ArgumentException($"model '{model.Name}' takes {model.FeatureCount} features but {train.Name} has {train.FeatureCount}");
        this.model = model;
        this.train = train;
        parameters = model.DefaultParameters();
        velocity = new double[model.ParameterCount];
        gradient = new double[model.ParameterCount];
    }

    public IHandModel Model => model;
    public int ParameterCount => model.ParameterCount;

    public double Step(IReadOnlyList<int> batch, BatchTargets targets, double learningRate, double momentum)
    {
        double loss = BatchGradient(batch, targets, gradient);
        if (momentum == 0)
        {
            var theta = parameters.AsSpan();
            var step = new Vector<double>(learningRate);
            int j = 0;
            for (; j <= theta.Length - Vector<double>.Count; j += Vector<double>.Count)
                (new Vector<double>(theta[j..]) - step * new Vector<double>(gradient, j)).CopyTo(theta[j..]);
            for (; j < theta.Length; j++) theta[j] -= learningRate * gradient[j];
        }
        else
            for (int j = 0; j < parameters.Length; j++)
            {
                velocity[j] = momentum * velocity[j] + gradient[j];
                parameters[j] -= learningRate * velocity[j];
            }
        return loss;
    }

    public double[] Gradient(IReadOnlyList<int> batch, BatchTargets targets)
    {
        var result = new double[ParameterCount];
        BatchGradient(batch, targets, result);
        return result;
    }

    /// <summary>Writes ∇L̂ = (1/B) Σ (fᵢ − ỹᵢ)∇fᵢ into <paramref name="result"/>; returns L̂.</summary>
    double BatchGradient(IReadOnlyList<int> batch, BatchTargets targets, double[] result)
    {
        var values = (targets as RegressionTargets ?? throw new ArgumentException("a regression model needs real targets", nameof(targets))).Values;
        Array.Clear(result);
        double loss = 0, inverseBatch = 1.0 / batch.Count;
        for (int k = 0; k < batch.Count; k++)
        {
            var x = train.Row(batch[k]);
            double residual = model.Predict(parameters, x) - values[k];
            loss += 0.5 * residual * residual;
            model.AccumulateGradient(parameters, x, residual * inverseBatch, result);
        }
        return loss * inverseBatch;
    }

    public Evaluation Evaluate(Dataset data, bool withGradient)
    {
        var regression = data as RegressionDataset ?? throw new ArgumentException($"{data.Name} is not a regression data set", nameof(data));
        double loss = 0;
        var full = withGradient ? new double[ParameterCount] : null;
        for (int i = 0; i < regression.Count; i++)
        {
            var x = regression.Row(i);
            double f = model.Predict(parameters, x);
            loss += SquaredError.Of(f, regression.Targets[i]);
            if (full is not null) model.AccumulateGradient(parameters, x, (f - regression.Targets[i]) / regression.Count, full);
        }
        double? norm = full is null ? null : Math.Sqrt(full.Sum(g => g * g));
        return new Evaluation(loss / regression.Count, null, norm);
    }

    public double[] GetParameters() => (double[])parameters.Clone();

    public void SetParameters(ReadOnlySpan<double> values)
    {
        if (values.Length != parameters.Length)
            throw new ArgumentException($"model '{model.Name}' has {parameters.Length} parameters, not {values.Length}");
        values.CopyTo(parameters);
    }

    public void SaveState(string folder)
    {
        StateVector.Write(Path.Combine(folder, ParameterSource.FlatStateFile), parameters);
        StateVector.Write(Path.Combine(folder, "velocity.bin"), velocity);
    }

    public void LoadState(string folder)
    {
        StateVector.Read(Path.Combine(folder, ParameterSource.FlatStateFile), ParameterCount).CopyTo(parameters, 0);
        StateVector.Read(Path.Combine(folder, "velocity.bin"), ParameterCount).CopyTo(velocity, 0);
    }

    public void Dispose() { }
}
