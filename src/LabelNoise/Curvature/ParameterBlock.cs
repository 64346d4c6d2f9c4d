namespace LabelNoise.Curvature;

/// <summary>A named slice of the flat parameter vector (a layer's weight, the u or v of the quadratic model).</summary>
public sealed record ParameterBlock(string Name, int Offset, int Length);
