using System.Globalization;

namespace LabelNoise.Cli.CommandLine;

/// <summary>
/// Reads "--name value" and "--flag" options against a declared set: an unknown option, a missing
/// value or an unparsable number is a <see cref="UsageException"/> with one clear sentence.
/// </summary>
public sealed class OptionReader
{
    readonly string command;
    readonly Dictionary<string, string?> given = new();
    readonly HashSet<string> flags;
    readonly List<string> positional = new();

    public OptionReader(string command, IEnumerable<string> args, IEnumerable<string> valueOptions, IEnumerable<string> flagOptions)
    {
        this.command = command;
        var values = valueOptions.ToHashSet();
        flags = flagOptions.ToHashSet();
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            string arg = list[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal)) { positional.Add(arg); continue; }
            string name = arg[2..];
            string? inline = null;
            int equals = name.IndexOf('=');
            if (equals >= 0) (name, inline) = (name[..equals], name[(equals + 1)..]);
            if (given.ContainsKey(name)) throw new UsageException($"option --{name} is given twice");
            if (flags.Contains(name))
            {
                if (inline is not null) throw new UsageException($"option --{name} is a switch and takes no value");
                given[name] = null;
            }
            else if (values.Contains(name))
            {
                if (inline is null && (i + 1 >= list.Count || (list[i + 1].StartsWith("--", StringComparison.Ordinal))))
                    throw new UsageException($"option --{name} needs a value");
                given[name] = inline ?? list[++i];
            }
            else throw new UsageException($"unknown option --{name} for '{command}' (see 'labelnoise {command} --help')");
        }
    }

    public IReadOnlyList<string> Positional => positional;
    public bool Has(string name) => given.ContainsKey(name);
    public IEnumerable<string> Given => given.Keys;
    public bool Flag(string name) => given.ContainsKey(name);
    public string? String(string name) => given.TryGetValue(name, out var v) ? v : null;
    public string String(string name, string fallback) => String(name) ?? fallback;

    public double Double(string name, double fallback) => String(name) is { } text
        ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && !double.IsNaN(v) ? v
            : throw new UsageException($"option --{name} expects a number, not '{text}'")
        : fallback;

    public long Long(string name, long fallback) => String(name) is { } text
        ? long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v
            : throw new UsageException($"option --{name} expects a whole number, not '{text}'")
        : fallback;

    public int Int(string name, int fallback) => checked((int)Math.Clamp(Long(name, fallback), int.MinValue, int.MaxValue));

    public int? OptionalInt(string name) => Has(name) ? Int(name, 0) : null;

    public ulong ULong(string name, ulong fallback) => String(name) is { } text
        ? ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) ? v
            : throw new UsageException($"option --{name} expects a non-negative whole number, not '{text}'")
        : fallback;
}
