using System.Text.Json.Nodes;
using LabelNoise.Tests.TestSupport;

namespace LabelNoise.Tests.Cli.CommandLine;

/// <summary>@file response files: a long command line kept in a file, one or more arguments per line, '#' comments.</summary>
public class ResponseFileTests
{
    [Fact]
    public void TrainReadsItsOptionsFromAResponseFile()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("train.rsp"), """
            # the quadratic model of the sparse-recovery experiment
            --model quadratic
            --data sparse:d=6,n=4,r=2,seed=1
            --noise pm:1 --lr 0.01
            --batch 1 --steps 40
            """);
        var result = CliProcess.Run("train", "@" + folder.File("train.rsp"), "--seed", "7", "--out", folder.File("run"));
        Assert.True(result.ExitCode == 0, result.Error);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.File("run"), "config.json")))!["config"]!;
        Assert.Equal("quadratic", config["Model"]!.GetValue<string>());
        Assert.Equal("pm:1", config["Noise"]!.GetValue<string>());
        Assert.Equal(40, config["Steps"]!.GetValue<long>());
        Assert.Equal(7UL, config["Seed"]!.GetValue<ulong>());
    }

    [Fact]
    public void ASweepFromAResponseFileReachesItsWorkers()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("sweep.rsp"), """
            --model quadratic --data sparse:d=6,n=4,r=2,seed=1 --noise pm:1
            --lr 0.01,0.005
            --batch 1 --steps 300 --eval-every 100
            """);
        string output = folder.File("sweep");
        var result = CliProcess.Run("sweep", "@" + folder.File("sweep.rsp"), "--parallel", "2", "--out", output);
        Assert.True(result.ExitCode == 0, result.Error);
        var summary = File.ReadAllLines(Path.Combine(output, "summary.csv"));
        Assert.Equal(3, summary.Length);
        Assert.StartsWith("0,0.01,finished,300,", summary[1]);
        Assert.StartsWith("1,0.005,finished,300,", summary[2]);
    }

    [Fact]
    public void AMissingResponseFileIsOneSentence()
    {
        using var folder = new TempFolder();
        var (code, output, error) = CliProcess.Run("train", "@" + folder.File("missing.rsp"));
        Assert.Equal(2, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains("missing.rsp", line);
    }
}
