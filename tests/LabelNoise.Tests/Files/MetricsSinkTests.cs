using LabelNoise.Tests.TestSupport;
using LabelNoise.Files;

namespace LabelNoise.Tests.Files;

public class MetricsSinkTests
{
    static MetricsRow Row(long step, double loss) => new(step, new Dictionary<string, double> { ["train_loss"] = loss });

    [Fact]
    public void WritesCsvAndJsonLinesThatReadBack()
    {
        using var folder = new TempFolder();
        using (var sink = new MetricsSink(folder.Path, ["train_loss", "test_accuracy"]))
        {
            sink.Write(Row(0, 1.5));
            sink.Write(new MetricsRow(10, new Dictionary<string, double> { ["train_loss"] = 0.1 + 0.2, ["test_accuracy"] = 0.75 }));
        }
        var (columns, rows) = MetricsSink.ReadCsv(folder.File(MetricsSink.CsvFile));
        Assert.Equal(["train_loss", "test_accuracy"], columns);
        Assert.Equal(1.5, rows[0]["train_loss"]);
        Assert.Null(rows[0]["test_accuracy"]);
        Assert.Equal(0.1 + 0.2, rows[1]["train_loss"]); // round-trips exactly
        var json = File.ReadAllLines(folder.File(MetricsSink.JsonFile));
        Assert.Equal(2, json.Length);
        Assert.Contains("\"test_accuracy\":0.75", json[1]);
    }

    [Fact]
    public void ResumeKeepsOnlyRowsBeforeTheCheckpointAndDropsAPartialLine()
    {
        using var folder = new TempFolder();
        using (var sink = new MetricsSink(folder.Path, ["train_loss"]))
            for (int s = 0; s <= 40; s += 10) sink.Write(Row(s, s));
        File.AppendAllText(folder.File(MetricsSink.CsvFile), "50,0.12"); // a line cut by kill -9
        File.AppendAllText(folder.File(MetricsSink.JsonFile), "{\"step\":50,\"tr");
        using (var sink = new MetricsSink(folder.Path, ["train_loss"], resumeFromStep: 20))
            sink.Write(Row(20, 99));
        var rows = MetricsSink.ReadCsv(folder.File(MetricsSink.CsvFile)).Rows;
        Assert.Equal([0L, 10, 20], rows.Select(r => r.Step));
        Assert.Equal(99, rows[2]["train_loss"]);
        Assert.Equal(3, File.ReadAllLines(folder.File(MetricsSink.JsonFile)).Length);
    }

    [Fact]
    public void RejectsUndeclaredMetrics()
    {
        using var folder = new TempFolder();
        using var sink = new MetricsSink(folder.Path, ["train_loss"]);
        Assert.Throws<ArgumentException>(() => sink.Write(new MetricsRow(0, new Dictionary<string, double> { ["trace"] = 1 })));
    }
}
