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
