using System.Diagnostics;
using LabelNoise.Curvature;
using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Noise;
using LabelNoise.Objectives;
using LabelNoise.Theory;
using LabelNoise.Training;
using Generator = LabelNoise.Randomness.Generator;
using LabelNoise.Native;
using LabelNoise.Files;
using LabelNoise.Figures;

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
