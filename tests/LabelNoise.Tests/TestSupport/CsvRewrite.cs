using LabelNoise.Reporting;

namespace LabelNoise.Tests.TestSupport;

/// <summary>Breaks an experiment's data on purpose: rewrites a CSV in place, each cell replaced by change(table, row, column).</summary>
public static class CsvRewrite
{
    public static void Rewrite(string path, Func<CsvTable, int, string, double> change)
    {
        var table = CsvTable.Read(path);
        var broken = new CsvTable(table.Columns);
        for (int i = 0; i < table.RowCount; i++) broken.Add(table.Columns.Select(c => change(table, i, c)).ToArray());
        broken.Write(path);
    }
}
