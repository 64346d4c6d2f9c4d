namespace LabelNoise.Cli.CommandLine;

/// <summary>A mistake on the command line; its message is one sentence for the user.</summary>
public sealed class UsageException(string message) : Exception(message);
