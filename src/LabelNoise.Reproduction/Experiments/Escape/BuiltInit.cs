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

/// <summary>An initialization: its parameters and how it was reached.</summary>
public sealed record BuiltInit(EscapeInit Init, double[] Parameters, IReadOnlyList<InitPhase> Phases);
