using System.Globalization;
using System.Text.Json.Nodes;
using LabelNoise.Curvature;
using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Tests.TestSupport;

namespace LabelNoise.Tests.Cli;

/// <summary>
/// <c>labelnoise measure</c>'s numbers against closed forms: for the linear model f = ⟨θ, x⟩ with squared error the
/// Hessian is XᵀX/n whatever θ, so every quantity is known exactly (its nonzero eigenvalues are those of the n×n Gram
/// matrix XXᵀ/n; ∇³L = 0, so ∇R = 0).
/// </summary>
public class MeasureValuesTests
{
    const double Eta = 0.05, Sigma = 0.5;
    const int Batch = 2;

    static JsonObject Measure(params string[] args)
    {
        var (exitCode, output, error) = CliProcess.Run(["measure", .. args, "--exact", "--json"]);
        Assert.True(exitCode == 0, error);
        return Assert.IsType<JsonObject>(JsonNode.Parse(output));
    }

    /// <summary>The closed forms at θ for features X (n×d, row-major) and targets y.</summary>
    static Dictionary<string, double> Expected(double[] x, double[] y, double[] theta)
    {
        int n = y.Length, d = theta.Length;
        var residual = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, d).Sum(j => x[i * d + j] * theta[j]) - y[i]).ToArray();
        var gradient = Enumerable.Range(0, d).Select(j => Enumerable.Range(0, n).Sum(i => x[i * d + j] * residual[i]) / n).ToArray();
        var gram = new double[n, n];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++) gram[a, b] = Enumerable.Range(0, d).Sum(j => x[a * d + j] * x[b * d + j]) / n;
        var nonzero = DenseSymmetric.Eigh(gram).Values;
        double regularizer = nonzero.Sum(v => -Math.Log(1 - Eta * v / 2) / (2 * Eta)); // eq. (1); zero eigenvalues add nothing
        double lambda = Eta * Sigma * Sigma / Batch;
        double loss = residual.Sum(r => r * r) / (2 * n);
        double gradientNorm = Math.Sqrt(gradient.Sum(g => g * g));
        return new()
        {
            ["loss"] = loss,
            ["grad_norm"] = gradientNorm,
            ["trace"] = x.Sum(v => v * v) / n,
            ["gauss_newton_trace"] = x.Sum(v => v * v) / n,
            ["top_eigenvalue"] = nonzero.Max(),
            ["min_eigenvalue"] = d > n ? 0 : nonzero.Min(),
            ["regularizer"] = regularizer,
            ["lambda"] = lambda,
            ["regularized_loss"] = loss + lambda * regularizer,
            ["regularizer_grad_norm"] = 0,
            ["regularized_grad_norm"] = gradientNorm,
        };
    }

    static void AssertMatches(Dictionary<string, double> expected, JsonObject json)
    {
        double scale = Math.Max(1, expected["top_eigenvalue"]);
        foreach (var (key, value) in expected)
        {
            double actual = json[key]!.GetValue<double>();
            Assert.True(Math.Abs(actual - value) <= 1e-10 * Math.Max(scale, Math.Abs(value)), $"{key}: measured {actual}, closed form {value}");
        }
    }

    [Fact]
    public void TheLinearModelOnSparseDataHasItsClosedForms()
    {
        // d = 6 > n = 4: a rank-4 Hessian, λ_min = 0.
        var data = (RegressionDataset)SparseRegressionGenerator.Generate(6, 4, 2, 1).Train;
        double[] theta = [0.3, -1.2, 0.7, 0.05, 2.0, -0.4];
        using var folder = new TempFolder();
        ParameterFile.Write(folder.File("theta.txt"), theta);
        var json = Measure("--model", "linear", "--data", "sparse:d=6,n=4,r=2,seed=1", "--params", folder.File("theta.txt"),
            "--eta", Eta.ToString(CultureInfo.InvariantCulture), "--sigma", Sigma.ToString(CultureInfo.InvariantCulture), "--batch", Batch.ToString());
        Assert.Equal(6, json["parameters"]!.GetValue<int>());
        AssertMatches(Expected(data.Features, data.Targets, theta), json);
    }
}
