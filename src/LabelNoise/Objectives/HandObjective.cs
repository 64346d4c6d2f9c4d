using LabelNoise.Curvature;
using LabelNoise.Data;
using LabelNoise.Models;

namespace LabelNoise.Objectives;

/// <summary>
/// L(θ) = (1/n) Σ ½(f(xᵢ; θ) − yᵢ)² for a hand-written model, with everything exact in float64:
/// ∇²L = G + E, G = (1/n) Σ ∇fᵢ∇fᵢᵀ, E = (1/n) Σ rᵢ∇²fᵢ (Proposition 1), and the third-derivative
/// contraction ∂ₖ tr(M∇²L) = (1/n) Σ [2 (∇²fᵢ M ∇fᵢ)ₖ + ∂ₖfᵢ tr(M∇²fᵢ) + rᵢ ∂ₖ tr(M∇²fᵢ)].
/// </summary>
public sealed class HandObjective : IObjective
{
    readonly IHandModel model;
    readonly RegressionDataset data;
    readonly double[] parameters;

    public HandObjective(IHandModel model, RegressionDataset data, ReadOnlySpan<double> parameters)
    {
        if (model.FeatureCount != data.FeatureCount)
            throw new SettingException($"model '{model.Name}' takes {model.FeatureCount} features but {data.Name} has {data.FeatureCount}");
        if (data.Count == 0) throw new SettingException($"{data.Name} is empty");
        this.model = model;
        this.data = data;
        this.parameters = new double[model.ParameterCount];
        SetParameters(parameters);
        Blocks = model is QuadraticModel q
            ? [new ParameterBlock("u", 0, q.FeatureCount), new ParameterBlock("v", q.FeatureCount, q.FeatureCount)]
            : [new ParameterBlock("theta", 0, model.ParameterCount)];
    }

    public IHandModel Model => model;
    public int Dimension => model.ParameterCount;
    public int ExampleCount => data.Count;
    public IReadOnlyList<ParameterBlock> Blocks { get; }

    public double[] GetParameters() => (double[])parameters.Clone();

    public void SetParameters(ReadOnlySpan<double> values)
    {
        if (values.Length != parameters.Length)
            throw new ArgumentException($"model '{model.Name}' has {parameters.Length} parameters, not {values.Length}");
        values.CopyTo(parameters);
    }

    public double Residual(int i) => model.Predict(parameters, data.Row(i)) - data.Targets[i];

    public double Loss()
    {
        double sum = 0;
        for (int i = 0; i < data.Count; i++) sum += 0.5 * Residual(i) * Residual(i);
        return sum / data.Count;
    }

    public double[] Gradient()
    {
        var g = new double[Dimension];
        for (int i = 0; i < data.Count; i++) model.AccumulateGradient(parameters, data.Row(i), Residual(i) / data.Count, g);
        return g;
    }

    /// <summary>∇fᵢ at the current point.</summary>
    public double[] OutputGradient(int i)
    {
        var g = new double[Dimension];
        model.AccumulateGradient(parameters, data.Row(i), 1.0, g);
        return g;
    }

    /// <summary>G = (1/n) Σ ∇fᵢ∇fᵢᵀ, dense.</summary>
    public double[,] GaussNewtonMatrix()
    {
        int p = Dimension;
        var g = new double[p, p];
        for (int i = 0; i < data.Count; i++)
        {
            var grad = OutputGradient(i);
            for (int a = 0; a < p; a++)
            {
                if (grad[a] == 0) continue;
                for (int b = 0; b < p; b++) g[a, b] += grad[a] * grad[b] / data.Count; // exactly symmetric
            }
        }
        return g;
    }

    /// <summary>∇²L = G + (1/n) Σ rᵢ∇²fᵢ, dense.</summary>
    public double[,] HessianMatrix()
    {
        int p = Dimension;
        var h = GaussNewtonMatrix();
        var second = new double[p * p];
        for (int i = 0; i < data.Count; i++) model.AccumulateHessian(parameters, data.Row(i), Residual(i) / data.Count, second);
        for (int a = 0; a < p; a++)
            for (int b = 0; b < p; b++) h[a, b] += second[a * p + b];
        return h;
    }

    public ILinearOperator Hessian() => new MatrixOperator(HessianMatrix());

    public ILinearOperator GaussNewton() => new MatrixOperator(GaussNewtonMatrix());

    public double[] HessianTraceGradient(double[,] m)
    {
        int p = Dimension;
        if (m.GetLength(0) != p || m.GetLength(1) != p) throw new ArgumentException($"M must be {p}×{p}, not {m.GetLength(0)}×{m.GetLength(1)}", nameof(m));
        var result = new double[p];
        var second = new double[p * p];
        var mGrad = new double[p];
        for (int i = 0; i < data.Count; i++)
        {
            var x = data.Row(i);
            var grad = OutputGradient(i);
            Array.Clear(second);
            model.AccumulateHessian(parameters, x, 1.0, second);
            double traceMSecond = 0;
            for (int a = 0; a < p; a++)
            {
                double s = 0;
                for (int b = 0; b < p; b++) { s += m[a, b] * grad[b]; traceMSecond += m[a, b] * second[b * p + a]; }
                mGrad[a] = s;
            }
            double scale = 1.0 / data.Count;
            for (int k = 0; k < p; k++)
            {
                double s = 0;
                for (int a = 0; a < p; a++) s += second[k * p + a] * mGrad[a];
                result[k] += scale * (2 * s + grad[k] * traceMSecond);
            }
            model.AccumulateHessianTraceGradient(parameters, x, m, scale * Residual(i), result);
        }
        return result;
    }

    public void Dispose() { }
}
