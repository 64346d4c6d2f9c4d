using System.Globalization;
using System.Text.Json.Nodes;

namespace LabelNoise.Measurement;

/// <summary>A quantity with the standard error of its estimate (null when computed exactly).</summary>
public sealed record Estimate(double Value, double? StandardError = null)
{
    /// <summary>"value ± standard error", or "value (exact)".</summary>
    public override string ToString() => StandardError is double se
        ? $"{PointMeasurement.Show(Value)} ± {PointMeasurement.Show(se)}"
        : $"{PointMeasurement.Show(Value)} (exact)";
}

/// <summary>
/// What the theory talks about at one parameter point. Exact-only fields are null for estimates.
/// <see cref="ToJson"/> is the one place these numbers are written for a user.
/// </summary>
public sealed record PointMeasurement
{
    public required double Loss { get; init; }
    public required double GradientNorm { get; init; }
    public required Estimate Trace { get; init; }
    /// <summary>λ_max: exact from the dense Hessian; else the Lanczos run's largest Ritz value (a lower bound), see <see cref="TopEigenvalueResidual"/>.</summary>
    public required Estimate TopEigenvalue { get; init; }
    /// <summary>For an estimated λ_max: the Ritz value's residual bound (some eigenvalue lies within it; not a standard error).</summary>
    public double? TopEigenvalueResidual { get; init; }
    public double? MinEigenvalue { get; init; }
    public required Estimate GaussNewtonTrace { get; init; }
    public required double Lambda { get; init; }
    public required Estimate Regularizer { get; init; }
    public required Estimate RegularizedLoss { get; init; }
    public double? RegularizerGradientNorm { get; init; }
    public double? RegularizedGradientNorm { get; init; }
    /// <summary>η·λ_max: R is finite only below 2(1+β).</summary>
    public required double StepTimesTopEigenvalue { get; init; }
    public IReadOnlyList<(string Block, Estimate Trace)> BlockTraces { get; init; } = [];
    /// <summary>Whether every number came from the dense Hessian (else: estimated, each with its standard error).</summary>
    public required bool Exact { get; init; }
    /// <summary>The data L was taken over, by name (set by the caller, who knows it; null: not said).</summary>
    public string? Data { get; init; }
    /// <summary>The loss L in words (<see cref="Objectives.ObjectiveFactory.LossName"/>; null: not said).</summary>
    public string? LossFunction { get; init; }
    /// <summary>Where the spectral density was written, when it was asked for.</summary>
    public string? DensityFile { get; init; }
    public required int ParameterCount { get; init; }
    public required int ExampleCount { get; init; }
    public required int Products { get; init; }
    public required double Seconds { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>How the trace and R were estimated and why each stopped (null for exact measurements).</summary>
    public string? CurvatureEstimator { get; init; }
    public string? RegularizerEstimator { get; init; }
    public string? TraceStopReason { get; init; }
    public string? RegularizerStopReason { get; init; }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["loss"] = Number(Loss),
            ["grad_norm"] = Number(GradientNorm),
        };
        Add(json, "trace", Trace);
        Add(json, "top_eigenvalue", TopEigenvalue);
        if (TopEigenvalueResidual is double residual) json["top_eigenvalue_residual"] = Number(residual);
        if (MinEigenvalue is double min) json["min_eigenvalue"] = Number(min);
        Add(json, "gauss_newton_trace", GaussNewtonTrace);
        Add(json, "regularizer", Regularizer);
        json["lambda"] = Number(Lambda);
        Add(json, "regularized_loss", RegularizedLoss);
        if (Exact)
        {
            json["regularizer_grad_norm"] = RegularizerGradientNorm is double r ? Number(r) : "inf";
            json["regularized_grad_norm"] = RegularizedGradientNorm is double g ? Number(g) : "inf";
        }
        json["eta_times_top_eigenvalue"] = Number(StepTimesTopEigenvalue);
        if (BlockTraces.Count > 0)
        {
            var blocks = new JsonObject();
            foreach (var (name, trace) in BlockTraces)
            {
                var entry = new JsonObject { ["trace"] = Number(trace.Value) };
                if (trace.StandardError is double se) entry["trace_stderr"] = Number(se);
                blocks[name] = entry;
            }
            json["block_traces"] = blocks;
        }
        json["dense_hessian"] = Exact;
        if (Data is not null) json["data"] = Data;
        if (LossFunction is not null) json["loss_function"] = LossFunction;
        json["parameters"] = ParameterCount;
        json["examples"] = ExampleCount;
        if (CurvatureEstimator is not null) json["trace_estimator"] = CurvatureEstimator;
        if (TraceStopReason is not null) json["trace_stop_reason"] = TraceStopReason;
        if (RegularizerEstimator is not null) json["regularizer_estimator"] = RegularizerEstimator;
        if (RegularizerStopReason is not null) json["regularizer_stop_reason"] = RegularizerStopReason;
        if (DensityFile is not null) json["density_file"] = DensityFile;
        json["products"] = Products;
        json["seconds"] = Number(Seconds);
        json["warnings"] = new JsonArray(Warnings.Select(w => (JsonNode)JsonValue.Create(w)!).ToArray());
        return json;
    }

    static void Add(JsonObject json, string key, Estimate estimate)
    {
        json[key] = Number(estimate.Value);
        if (estimate.StandardError is double se) json[key + "_stderr"] = Number(se);
    }

    /// <summary>A finite number as itself; ±∞ and NaN as the strings "inf", "-inf", "nan" (JSON has no such numbers).</summary>
    public static JsonNode Number(double value) => double.IsFinite(value)
        ? JsonValue.Create(value)
        : JsonValue.Create(double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf");

    /// <summary>A value for a table: G6, or "inf".</summary>
    public static string Show(double value) => double.IsFinite(value) ? value.ToString("G6", CultureInfo.InvariantCulture) : double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
}
