namespace LabelNoise.Experiments;

/// <summary>What a run does at every step (the code is what the CSV files store in their <c>method</c> column).</summary>
public enum EscapeMethod
{
    /// <summary>Plain minibatch SGD on the clean labels.</summary>
    Sgd = 0,

    /// <summary>Label-noise SGD: every sampled label flipped with probability p (Algorithm 1 for classification).</summary>
    LabelNoise = 1,

    /// <summary>The control: the expected flipped target (label smoothing at p), no sampled noise.</summary>
    Smoothed = 2,
}

/// <summary>The names of <see cref="EscapeMethod"/>, and the methods run from every poor init.</summary>
public static class EscapeMethods
{
    /// <summary>Every method, in the order of the figures and tables.</summary>
    public static readonly IReadOnlyList<EscapeMethod> All = [EscapeMethod.LabelNoise, EscapeMethod.Sgd, EscapeMethod.Smoothed];

    /// <summary>The short name (summary keys, file columns).</summary>
    public static string Name(this EscapeMethod method) => method switch
    {
        EscapeMethod.LabelNoise => "label-noise",
        EscapeMethod.Smoothed => "smoothed",
        _ => "sgd",
    };

    /// <summary>The label of legends and tables.</summary>
    public static string Label(this EscapeMethod method) => method switch
    {
        EscapeMethod.LabelNoise => "label-noise SGD",
        EscapeMethod.Smoothed => "smoothed control",
        _ => "plain SGD",
    };
}
