using System.Globalization;

namespace LabelNoise.Models;

/// <summary>
/// A model named on the command line: linear | quadratic | mlp:W1,W2,...[,relu|gelu|tanh] |
/// cnn[:width] | resnet18 | torchscript:FILE (a user's PyTorch module, <see cref="TorchScriptModel"/>).
/// </summary>
public sealed record ModelSpec(string Kind, int[] HiddenWidths, Activation Activation, int BaseWidth)
{
    public const string Forms = "linear, quadratic, mlp:W1,W2,...[,relu|gelu|tanh], cnn[:width], resnet18 or torchscript:FILE.pt";

    /// <summary>The TorchScript file of <c>torchscript:FILE</c> (an absolute path); null for the other kinds.</summary>
    public string? File { get; init; }

    /// <summary>Whether a hand-written float64 path exists (linear and quadratic).</summary>
    public bool HasHandPath => Kind is "linear" or "quadratic";

    public static ModelSpec Parse(string spec)
    {
        spec = spec.Trim();
        int colon = spec.IndexOf(':');
        string kind = colon < 0 ? spec : spec[..colon];
        string[] args = colon < 0 ? [] : spec[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries);
        switch (kind)
        {
            case "torchscript":
                if (colon < 0 || spec[(colon + 1)..].Trim().Length == 0) throw new SettingException($"model '{spec}' names no file: use torchscript:FILE.pt");
                return new ModelSpec(kind, [], Activation.Relu, 0) { File = Path.GetFullPath(spec[(colon + 1)..].Trim()) };
            case "linear" or "quadratic" or "resnet18":
                if (args.Length > 0) throw new SettingException($"model '{kind}' takes no arguments, but got '{spec}'");
                return new ModelSpec(kind, [], Activation.Relu, 0);
            case "mlp":
            {
                var widths = new List<int>();
                var activation = Activation.Relu;
                foreach (var arg in args)
                {
                    if (Enum.TryParse<Activation>(arg, ignoreCase: true, out var a) && !int.TryParse(arg, out _)) activation = a;
                    else widths.Add(PositiveInt(arg, spec));
                }
                if (widths.Count == 0) throw new SettingException($"model '{spec}' needs hidden widths, e.g. mlp:512,512");
                return new ModelSpec(kind, widths.ToArray(), activation, 0);
            }
            case "cnn":
                if (args.Length > 1) throw new SettingException($"model '{spec}' takes at most one width, e.g. cnn:32");
                return new ModelSpec(kind, [], Activation.Relu, args.Length == 1 ? PositiveInt(args[0], spec) : 32);
            default:
                throw new SettingException($"unknown model '{spec}': use {Forms}");
        }
    }

    public override string ToString() => Kind switch
    {
        "mlp" => $"mlp:{string.Join(",", HiddenWidths)},{Activation.ToString().ToLowerInvariant()}",
        "cnn" => $"cnn:{BaseWidth}",
        "torchscript" => $"torchscript:{File}",
        _ => Kind,
    };

    static int PositiveInt(string text, string spec) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new SettingException($"model '{spec}': '{text}' is not a positive width or an activation (relu, gelu, tanh)");
}
