using System.Globalization;
using System.Text;
using LabelNoise.Data;
using LabelNoise.Files;

namespace LabelNoise.Files;

/// <summary>
/// A numeric table with named columns: the one format experiments write their data in, and the
/// one figures and claims are computed from. Cells are doubles ("R" round-trip); missing = empty.
/// </summary>
public sealed class CsvTable
{
    readonly List<double[]> rows = new();

    public CsvTable(params string[] columns)
    {
        if (columns.Length == 0 || columns.Distinct().Count() != columns.Length) throw new ArgumentException("columns must be distinct and non-empty", nameof(columns));
        Columns = columns;
    }

    public string[] Columns { get; }
    public int RowCount => rows.Count;

    public void Add(params double[] values)
    {
        if (values.Length != Columns.Length) throw new ArgumentException($"a row of this table has {Columns.Length} values, not {values.Length}", nameof(values));
        rows.Add(values);
    }

    public double[] Column(string name)
    {
        int index = Array.IndexOf(Columns, name);
        if (index < 0) throw new ArgumentException($"no column '{name}' (columns: {string.Join(", ", Columns)})", nameof(name));
        return rows.Select(r => r[index]).ToArray();
    }

    public double this[int row, string column] => rows[row][Array.IndexOf(Columns, column)];

    /// <summary>Rows whose <paramref name="column"/> equals <paramref name="value"/>.</summary>
    public CsvTable Where(string column, double value)
    {
        int index = Array.IndexOf(Columns, column);
        var result = new CsvTable(Columns);
        foreach (var r in rows.Where(r => r[index] == value)) result.rows.Add(r);
        return result;
    }

    /// <summary>A number as a cell: round-trip precision, invariant culture; NaN as an empty cell.</summary>
    public static string Format(double value) => double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);

    public void Write(string path)
    {
        var text = new StringBuilder(string.Join(",", Columns)).Append('\n');
        foreach (var row in rows)
            text.Append(string.Join(",", row.Select(Format))).Append('\n');
        AtomicFile.WriteAllText(path, text.ToString());
    }

    public static CsvTable Read(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, "file not found");
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        if (lines.Length == 0) throw new DataFormatException(path, "is empty");
        var table = new CsvTable(lines[0].Split(','));
        for (int i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            if (cells.Length != table.Columns.Length) throw new DataFormatException(path, $"line {i + 1} has {cells.Length} cells, the header {table.Columns.Length}");
            table.rows.Add(cells.Select((c, k) => c.Length == 0 ? double.NaN
                : double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
                : throw new DataFormatException(path, $"line {i + 1}, column '{table.Columns[k]}' is not a number ('{c}')")).ToArray());
        }
        return table;
    }
}
