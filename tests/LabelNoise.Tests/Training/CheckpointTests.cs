using System.Text;
using LabelNoise.Data;
using LabelNoise.Tests.TestSupport;
using LabelNoise.Training;

namespace LabelNoise.Tests.Training;

public class CheckpointTests
{
    static readonly TrainingConfig Sparse = new()
    {
        Model = "quadratic", Data = "sparse:d=10,n=8,r=2,seed=1", Noise = "pm:1", LearningRate = 0.01, BatchSize = 2, Steps = 300,
        EvalEvery = 100, CheckpointEvery = 100, Seed = 3,
    };

    /// <summary>A finished run of <paramref name="config"/> in <paramref name="folder"/> (its checkpoint is at the last step).</summary>
    static void TrainInto(string folder, TrainingConfig config)
    {
        using var session = TrainingSetup.Create(config);
        RunConfigFile.Write(folder, config);
        Trainer.Run(session, folder, false);
    }

    static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes);

    static DataFormatException Refused(string folder, TrainingConfig config)
    {
        using var session = TrainingSetup.Create(config);
        var before = Snapshot(folder);
        var e = Assert.Throws<DataFormatException>(() => Checkpoint.Load(folder, session));
        var after = Snapshot(folder);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, kv => Assert.Equal(kv.Value, after[kv.Key]));
        return e;
    }

    [Fact]
    public void LoadsWhatItSavedAndAcceptsOtherStepCounts()
    {
        using var folder = new TempFolder();
        TrainInto(folder.Path, Sparse);
        using var session = TrainingSetup.Create(Sparse with { Steps = 900 });
        var state = Checkpoint.Load(folder.Path, session);
        Assert.Equal(300, state.Step);
        Assert.Equal(ParameterFileValues(folder.Path), session.Learner.GetParameters());
    }

    static double[] ParameterFileValues(string folder) =>
        LabelNoise.Models.ParameterFile.Read(Path.Combine(folder, Trainer.FinalParametersFile), 20);

    [Theory]
    [InlineData("Model", "linear")]
    [InlineData("Data", "sparse:d=10,n=8,r=2,seed=2")]
    [InlineData("Noise", "pm:2")]
    [InlineData("Seed", "4")]
    public void AnotherConfigurationIsNamed(string key, string value)
    {
        using var folder = new TempFolder();
        TrainInto(folder.Path, Sparse);
        var other = key switch
        {
            "Model" => Sparse with { Model = value },
            "Data" => Sparse with { Data = value },
            "Noise" => Sparse with { Noise = value },
            _ => Sparse with { Seed = ulong.Parse(value) },
        };
        var e = Refused(folder.Path, other);
        Assert.Contains($"{key} = ", e.Message);
        Assert.Contains("checkpoint was written by a run with", e.Message);
    }

    [Fact]
    public void DataThatChangedOnDiskIsNamed()
    {
        using var folder = new TempFolder();
        var csv = folder.File("points.csv");
        File.WriteAllText(csv, "1,2,3\n4,5,6\n7,8,9\n");
        var config = Sparse with { Model = "linear", Data = csv, Noise = "none" };
        TrainInto(folder.File("run"), config);
        File.WriteAllText(csv, "1,2,3\n4,5,6\n7,8,10\n");
        Assert.Contains("other data", Refused(folder.File("run"), config).Message);
    }

    [Fact]
    public void EditedTruncatedOrMissingFilesAreNamed()
    {
        using var folder = new TempFolder();
        TrainInto(folder.Path, Sparse);
        string checkpoint = Checkpoint.FolderOf(folder.Path), state = Path.Combine(checkpoint, Checkpoint.StateFile);
        string parameters = Path.Combine(checkpoint, LabelNoise.Models.ParameterSource.FlatStateFile);
        var original = File.ReadAllBytes(state);
        var originalParameters = File.ReadAllBytes(parameters);

        File.WriteAllText(state, Encoding.UTF8.GetString(original).Replace("\"Step\":300", "\"Step\":200", StringComparison.Ordinal));
        Assert.Contains("does not match its own checksum", Refused(folder.Path, Sparse).Message);

        File.WriteAllBytes(state, original[..(original.Length / 2)]);
        Assert.Contains("damaged", Refused(folder.Path, Sparse).Message);
        File.WriteAllBytes(state, original);

        File.WriteAllBytes(parameters, originalParameters[..^8]);
        var e = Refused(folder.Path, Sparse);
        Assert.Equal(parameters, e.File);
        Assert.Contains("damaged or replaced", e.Message);

        File.Delete(parameters);
        Assert.Contains("is missing from the checkpoint", Refused(folder.Path, Sparse).Message);
        File.WriteAllBytes(parameters, originalParameters);

        using var session = TrainingSetup.Create(Sparse);
        Assert.Equal(300, Checkpoint.Load(folder.Path, session).Step); // and intact again once restored
    }

    [Fact]
    public void ThousandsOfRandomMutationsOfStateOrConfigEndInALoadOrOneClearError()
    {
        using var folder = new TempFolder();
        TrainInto(folder.Path, Sparse);
        string state = Path.Combine(Checkpoint.FolderOf(folder.Path), Checkpoint.StateFile);
        string config = Path.Combine(folder.Path, RunConfigFile.FileName);
        var originals = new Dictionary<string, byte[]> { [state] = File.ReadAllBytes(state), [config] = File.ReadAllBytes(config) };
        var mutator = new FileMutator(2026, [], text: true);
        var outcomes = new Dictionary<string, int>();
        for (int trial = 0; trial < 1500; trial++)
        {
            string target = trial % 2 == 0 ? state : config;
            File.WriteAllBytes(target, mutator.Next(originals[target]).Bytes);
            string outcome;
            try
            {
                using var session = TrainingSetup.Create(RunConfigFile.Read(folder.Path));
                Checkpoint.Load(folder.Path, session);
                outcome = "loaded";
            }
            catch (Exception e) when (e is DataFormatException or ArgumentException)
            {
                outcome = e.GetType().Name;
                Assert.False(e.Message.Contains('\n'), e.Message);
            }
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            File.WriteAllBytes(target, originals[target]);
        }
        Assert.True(outcomes.GetValueOrDefault(nameof(DataFormatException)) > 1000, string.Join(", ", outcomes));
    }
}
