using LabelNoise.Files;

namespace LabelNoise.Tests.TestSupport;

/// <summary>Breaks an experiment's data on purpose: rewrites a CSV file, by cell or by row.</summary>
public static class CsvRewrite
{
    /// <summary>Rewrites the file in place, each cell replaced by change(table, row, column).</summary>
    public static void Rewrite(string path, Func<CsvTable, int, string, double> change) => Rewrite(path, CsvTable.Read(path), change);

    /// <summary>Writes <paramref name="original"/> (the data as first written) to the file, each cell replaced by change(original, row, column).</summary>
    public static void Rewrite(string path, CsvTable original, Func<CsvTable, int, string, double> change) =>
        Write(path, original, i => original.Columns.Select(c => change(original, i, c)));

    /// <summary>Writes <paramref name="original"/> to the file with <paramref name="change"/> applied to every row (its values, by column name).</summary>
    public static void Rewrite(string path, CsvTable original, Action<Dictionary<string, double>> change) =>
        Write(path, original, i =>
        {
            var row = original.Columns.ToDictionary(c => c, c => original[i, c]);
            change(row);
            return original.Columns.Select(c => row[c]);
        });

    static void Write(string path, CsvTable original, Func<int, IEnumerable<double>> row)
    {
        var table = new CsvTable(original.Columns);
        for (int i = 0; i < original.RowCount; i++) table.Add(row(i).ToArray());
        table.Write(path);
    }
}
