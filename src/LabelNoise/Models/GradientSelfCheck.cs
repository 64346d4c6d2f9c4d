using System.Globalization;
using LabelNoise.Data;
using LabelNoise.Losses;
using LabelNoise.Native;
using TorchSharp;
using static TorchSharp.torch;
using LabelNoise.Randomness;

namespace LabelNoise.Models;

/// <summary>
/// Never trains on a wrong gradient silently. The first time a process meets a float32 model (by its type,
/// parameter shapes and input shape), this compares, at the model's starting point on the first
/// <see cref="Examples"/> examples, the float32 gradient (<see cref="Repeats"/> times) of the mean loss and one Hessian-vector product with
/// those of the same module in float64 (a float32 → float64 → float32 round trip is exact, so the module is
/// converted in place and back). Beyond <see cref="Tolerance"/> (relative) it switches to the safe path: oneDNN
/// off for the process if that alone makes float32 agree (<see cref="OneDnn"/>), else the model runs in float64.
/// A switch is printed as one line (<see cref="Warn"/>) and recorded (<see cref="Results"/>, config.json, reports).
/// TorchLearner and TorchObjective call it, so training, resuming, sweeps, measurement and library users all do.
/// </summary>
public static class GradientSelfCheck
{
    /// <summary>The largest relative error accepted; float32 rounding gives about 1e-7 here.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>How many examples the check uses (the first ones of the data).</summary>
    public const int Examples = 8;

    /// <summary>How many times the float32 side is computed: the faults seen so far came and went between calls.</summary>
    public const int Repeats = 3;

    const ulong ProbeSeed = 0x5e1f_c4ec;
    static readonly object Gate = new();
    static readonly Dictionary<string, GradientCheck> Done = new();

    /// <summary>Where a switch is reported: standard error unless set (a test or an application may take it).</summary>
    public static Action<string> Warn { get; set; } = line => Console.Error.WriteLine(line);

    /// <summary>The checks made in this process, in order.</summary>
    public static IReadOnlyList<GradientCheck> Results
    {
        get { lock (Gate) return Done.Values.ToArray(); }
    }

    /// <summary>
    /// Checks <paramref name="model"/> on the first examples of <paramref name="data"/> (once per kind of model in
    /// a process) and leaves it in the dtype it must run in: float64 when the result says so.
    /// </summary>
    public static GradientCheck Ensure(nn.Module<Tensor, Tensor> model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var parameters = model.parameters().ToArray();
        string name = Describe(model, parameters, data);
        string key = name + " " + string.Join(",", model.modules().Select(m => m.GetType().Name)); // tells a tanh MLP from a ReLU one
        if (parameters.Length == 0 || parameters[0].dtype != ScalarType.Float32)
            return new GradientCheck(name, GradientCheckOutcome.NotChecked, double.NaN, double.NaN, "the model does not run in float32");
        if (data.Count == 0) return new GradientCheck(name, GradientCheckOutcome.NotChecked, double.NaN, double.NaN, "no data");
        lock (Gate)
        {
            if (!Done.TryGetValue(key, out var result))
            {
                result = Check(model, data, name);
                Done[key] = result;
                if (result.Outcome is GradientCheckOutcome.SwitchedOneDnnOff or GradientCheckOutcome.SwitchedToFloat64) Warn(result.Sentence);
            }
            if (result.UsesFloat64) model.to(ScalarType.Float64);
            return result;
        }
    }

    static GradientCheck Check(nn.Module<Tensor, Tensor> model, Dataset data, string name)
    {
        var (gradient, product, reference) = Errors(model, data);
        if (!reference) return new GradientCheck(name, GradientCheckOutcome.NotChecked, gradient, product, "the float64 gradient is not finite at this point");
        if (Within(gradient, product)) return new GradientCheck(name, GradientCheckOutcome.Passed, gradient, product, "float32 agrees with float64");
        string reason = string.Create(CultureInfo.InvariantCulture,
            $"the float32 gradient of {name} differs from float64 by {gradient:G2} and its Hessian-vector product by {product:G2} (relative; tolerance {Tolerance:G1})");
        if (OneDnn.Enabled && OneDnn.SwitchOff("the gradient self-check found a wrong float32 gradient with it", out _))
        {
            var (again, productAgain, _) = Errors(model, data);
            if (Within(again, productAgain))
                return new GradientCheck(name, GradientCheckOutcome.SwitchedOneDnnOff, gradient, product, reason + " with oneDNN on");
        }
        return new GradientCheck(name, GradientCheckOutcome.SwitchedToFloat64, gradient, product, reason);
    }

    static bool Within(double gradient, double product) => gradient <= Tolerance && product <= Tolerance;

    /// <summary>
    /// The relative errors of the float32 gradient and Hessian-vector product of a float32 model against float64 (the worst
    /// of <see cref="Repeats"/> computations), and whether the float64 reference is finite; decides nothing, switches nothing.
    /// </summary>
    public static (double Gradient, double Product, bool Reference) Errors(nn.Module<Tensor, Tensor> model, Dataset data)
    {
        var float32 = Enumerable.Range(0, Repeats).Select(_ => Derivatives(model, data, ScalarType.Float32)).ToArray();
        model.to(ScalarType.Float64);
        double[] g64, h64;
        try { (g64, h64) = Derivatives(model, data, ScalarType.Float64); }
        finally { model.to(ScalarType.Float32); }
        bool finite = g64.All(double.IsFinite) && h64.All(double.IsFinite);
        return (float32.Max(d => RelativeError(d.Gradient, g64)), float32.Max(d => RelativeError(d.Product, h64)), finite);
    }

    /// <summary>‖a − b‖ / ‖b‖ (0 when both are zero, +∞ when a is not finite).</summary>
    public static double RelativeError(double[] a, double[] b)
    {
        double difference = 0, norm = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (!double.IsFinite(a[i])) return double.PositiveInfinity;
            difference += (a[i] - b[i]) * (a[i] - b[i]);
            norm += b[i] * b[i];
        }
        if (difference == 0) return 0;
        return norm == 0 ? double.PositiveInfinity : Math.Sqrt(difference / norm);
    }

    /// <summary>The gradient of the mean clean loss on the first examples and its product with a fixed Gaussian vector, in <paramref name="dtype"/>.</summary>
    static (double[] Gradient, double[] Product) Derivatives(nn.Module<Tensor, Tensor> model, Dataset data, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        bool training = model.training;
        model.eval(); // dropout would draw different masks in the two precisions
        try
        {
            var parameters = model.parameters().Where(p => p.requires_grad).ToArray();
            int count = Math.Min(Examples, data.Count);
            var output = model.forward(DataTensors.Features(data, dtype, count));
            var loss = Loss(output, data, count);
            var gradients = autograd.grad([loss], parameters, create_graph: true, retain_graph: true, allow_unused: true);
            var generator = new RandomStream(ProbeSeed);
            Tensor? dot = null;
            for (int k = 0; k < parameters.Length; k++)
            {
                var direction = tensor(Enumerable.Range(0, (int)parameters[k].numel()).Select(_ => generator.NextGaussian()).ToArray())
                    .reshape(parameters[k].shape).to_type(dtype);
                if (gradients[k] is { } g && g.requires_grad)
                {
                    var term = g.mul(direction).sum();
                    dot = dot is null ? term : KeptScalar.Plus(dot, term);
                }
            }
            // A gradient that does not depend on the parameters (a linear model) has a zero Hessian.
            var products = dot is null
                ? parameters.Select(p => (Tensor?)null).ToArray()
                : autograd.grad([dot], parameters, retain_graph: true, allow_unused: true).Select(t => (Tensor?)t).ToArray();
            return (Flatten(gradients.Select(t => (Tensor?)t).ToArray(), parameters), Flatten(products, parameters));
        }
        finally { model.train(training); }
    }

    static double[] Flatten(IReadOnlyList<Tensor?> tensors, IReadOnlyList<Tensor> parameters) =>
        cat(tensors.Select((t, k) => (t ?? zeros_like(parameters[k])).reshape(-1).to_type(ScalarType.Float64)).ToArray()).data<double>().ToArray();

    static Tensor Loss(Tensor output, Dataset data, int count)
    {
        using var n = KeptScalar.Of(count);
        OutputShape.Check(output, data, count);
        if (data is ClassificationDataset c) return CrossEntropy.Sum(output, DataTensors.Labels(c, count)).div(n);
        var r = (RegressionDataset)data;
        return SquaredError.Sum(output.reshape(-1), tensor(r.Targets.AsSpan(0, count).ToArray()).to_type(output.dtype)).div(n);
    }

    static string Describe(nn.Module<Tensor, Tensor> model, IReadOnlyList<Tensor> parameters, Dataset data) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{model.GetType().Name}{(model is Mlp mlp ? $" ({mlp.Activation.ToString().ToLowerInvariant()})" : "")} ({parameters.Sum(p => p.numel()):N0} parameters in {parameters.Count} tensors, input {string.Join("×", data.SampleShape)})");
}
