namespace LabelNoise.Experiments;

/// <summary>Where an escape run starts (the code is what the CSV files store in their <c>init</c> column).</summary>
public enum EscapeInit
{
    /// <summary>A fresh random initialization (the minibatch-SGD baseline).</summary>
    Random = 0,

    /// <summary>Full-batch gradient descent from a random initialization to 100 % training accuracy.</summary>
    FullBatch = 1,

    /// <summary>Liu et al.'s adversarial initialization: memorize random labels on zeroed copies, then fit the true labels.</summary>
    Adversarial = 2,
}
