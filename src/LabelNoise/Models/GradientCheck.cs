using System.Globalization;
using System.Text.Json.Nodes;

namespace LabelNoise.Models;

/// <summary>What the gradient self-check decided for a model.</summary>
public enum GradientCheckOutcome
{
    /// <summary>float32 agrees with float64: the model trains in float32.</summary>
    Passed,
    /// <summary>float32 disagreed with oneDNN on and agrees with it off: oneDNN is off for the process.</summary>
    SwitchedOneDnnOff,
    /// <summary>float32 disagreed however it ran: the model runs in float64.</summary>
    SwitchedToFloat64,
    /// <summary>Not checked: the model already runs in float64, or its float64 reference is not finite.</summary>
    NotChecked,
}

/// <summary>
/// The gradient self-check of one model (<see cref="GradientSelfCheck"/>): the relative errors of the float32
/// gradient and Hessian-vector product against float64 at the starting point, and what was done about them.
/// </summary>
/// <param name="Model">The model's description (its type and parameter shapes).</param>
/// <param name="GradientError">‖g₃₂ − g₆₄‖ / ‖g₆₄‖ as first measured (NaN when not measured).</param>
/// <param name="HessianVectorError">The same for one Hessian-vector product.</param>
/// <param name="Reason">Why the outcome is what it is, in words.</param>
public sealed record GradientCheck(string Model, GradientCheckOutcome Outcome, double GradientError, double HessianVectorError, string Reason)
{
    /// <summary>Whether the model must run in float64.</summary>
    public bool UsesFloat64 => Outcome == GradientCheckOutcome.SwitchedToFloat64;

    /// <summary>One word for tables: ok, switched (oneDNN off), switched (float64), not checked.</summary>
    public string Word => Outcome switch
    {
        GradientCheckOutcome.Passed => "ok",
        GradientCheckOutcome.SwitchedOneDnnOff => "switched (oneDNN off)",
        GradientCheckOutcome.SwitchedToFloat64 => "switched (float64)",
        _ => "not checked",
    };

    /// <summary>The line printed when the check changed how the model runs.</summary>
    public string Sentence => Outcome switch
    {
        GradientCheckOutcome.SwitchedOneDnnOff => $"gradient self-check: {Reason}; oneDNN is now off for this process and the float32 gradient agrees with float64.",
        GradientCheckOutcome.SwitchedToFloat64 => $"gradient self-check: {Reason}; this model now runs in float64 (slower, but right).",
        GradientCheckOutcome.Passed => $"gradient self-check: float32 agrees with float64 ({Errors}).",
        _ => $"gradient self-check: not checked ({Reason}).",
    };

    string Errors => string.Create(CultureInfo.InvariantCulture, $"gradient {GradientError:G2}, Hessian-vector product {HessianVectorError:G2}, relative");

    public JsonObject ToJson() => new()
    {
        ["model"] = Model,
        ["outcome"] = Word,
        ["gradient_relative_error"] = Finite(GradientError),
        ["hvp_relative_error"] = Finite(HessianVectorError),
        ["tolerance"] = GradientSelfCheck.Tolerance,
        ["reason"] = Reason,
        ["onednn"] = Native.OneDnn.Outcome,
    };

    static JsonNode? Finite(double value) => double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));
}
