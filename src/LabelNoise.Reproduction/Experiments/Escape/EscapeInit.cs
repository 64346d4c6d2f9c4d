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

/// <summary>The names of <see cref="EscapeInit"/> and the inits the claims are about.</summary>
public static class EscapeInits
{
    /// <summary>The poor initializations label noise should escape from.</summary>
    public static readonly IReadOnlyList<EscapeInit> Poor = [EscapeInit.Adversarial, EscapeInit.FullBatch];

    /// <summary>The name the summaries, figures and report use.</summary>
    public static string Name(this EscapeInit init) => init switch
    {
        EscapeInit.FullBatch => "full-batch",
        EscapeInit.Adversarial => "adversarial",
        _ => "random",
    };
}
