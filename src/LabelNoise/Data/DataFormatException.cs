namespace LabelNoise.Data;

/// <summary>A data file that is missing or malformed. The message is one sentence naming the file and the problem.</summary>
public sealed class DataFormatException(string file, string problem)
    : Exception($"{file}: {problem}.")
{
    public string File { get; } = file;
    public string Problem { get; } = problem;
}
