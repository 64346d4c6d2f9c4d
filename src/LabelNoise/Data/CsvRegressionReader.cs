using System.Globalization;

namespace LabelNoise.Data;

/// <summary>
/// Reads a regression data set from a comma-separated file: one example per line, the features
/// then the target, numbers in the invariant culture with optional whitespace around each cell.
/// A first line with any non-numeric cell is a header and is skipped; blank trailing lines are ignored.
/// </summary>
public static class CsvRegressionReader
{
    /// <summary>The examples in <paramref name="path"/>, named <paramref name="name"/> (default: the file name).</summary>
    public static RegressionDataset Read(string path, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new DataFormatException(path, "missing file");
        name ??= Path.GetFileName(path);

        var lines = File.ReadAllLines(path);
        int end = lines.Length;
        while (end > 0 && string.IsNullOrWhiteSpace(lines[end - 1])) end--;
        if (end == 0) throw new DataFormatException(path, "empty file: it holds no rows");

        if (string.IsNullOrWhiteSpace(lines[0]))
            throw new DataFormatException(path, "line 1 is blank but data rows follow it");
        int first = 0;
        var firstCells = Split(lines[0]);
        bool header = firstCells.Any(c => !double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        if (header)
        {
            first = 1;
            if (end == 1) throw new DataFormatException(path, "line 1 is a header and no data rows follow");
        }

        int columns = Split(lines[first]).Length;
        if (header && firstCells.Length != columns)
            throw new DataFormatException(path, $"line 1 (header) has {firstCells.Length} cells but line {first + 1} has {columns}");
        if (columns < 2)
            throw new DataFormatException(path,
                $"line {first + 1} has {columns} column; at least 2 are needed (features, then the target)");

        int rows = end - first;
        var features = new double[rows * (columns - 1)];
        var targets = new double[rows];
        for (int row = 0; row < rows; row++)
        {
            int lineNumber = first + row + 1;
            if (string.IsNullOrWhiteSpace(lines[first + row]))
                throw new DataFormatException(path, $"line {lineNumber} is blank but data rows follow it");
            var cells = Split(lines[first + row]);
            if (cells.Length != columns)
                throw new DataFormatException(path,
                    $"ragged rows: line {lineNumber} has {cells.Length} cells but line {first + 1} has {columns}");
            for (int col = 0; col < columns; col++)
            {
                if (!double.TryParse(cells[col], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                    throw new DataFormatException(path,
                        $"line {lineNumber}, column {col + 1}: '{DataFormatException.Quote(cells[col])}' is not a finite number");
                if (col < columns - 1) features[row * (columns - 1) + col] = value;
                else targets[row] = value;
            }
        }
        return new RegressionDataset(name, columns - 1, features, targets);
    }

    /// <summary><see cref="Read"/> as a split with no test set.</summary>
    public static DataSplit Load(string path, string? name = null) => new(Read(path, name), null);

    static string[] Split(string line) => line.Split(',').Select(c => c.Trim()).ToArray();
}
