using System.CommandLine;

namespace LabelNoise.Cli.CommandLine;

/// <summary>A command whose help ends with notes that options cannot carry: other forms of the command, what it writes.</summary>
public sealed class DocumentedCommand(string name, string description, string notes) : Command(name, description)
{
    public string Notes { get; } = notes;
}
