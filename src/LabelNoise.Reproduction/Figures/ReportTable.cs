namespace LabelNoise.Figures;

/// <summary>A small table of text cells that an experiment adds to its section of the report (computed from its data files).</summary>
public sealed record ReportTable(string Caption, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows);
