using System.CommandLine;
using LabelNoise.Cli.CommandLine;
using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Training;

namespace LabelNoise.Cli.Commands;

/// <summary>labelnoise export: a run's parameters as a PyTorch state_dict.</summary>
public static class ExportCommand
{
    public const string DefaultFile = "model.pt";

    public static readonly Argument<string> RunFolder = new("RUN") { Description = "a run folder of 'labelnoise train' (its final parameters, else its last checkpoint)" };
    public static readonly Option<string> Format = CliOptions.Choice("--format", "a PyTorch state_dict, as torch.save(model.state_dict(), FILE) writes it (the only format)", "pt", ["pt"]);
    public static readonly Option<string> Out = CliOptions.Text("--out", "FILE", $"where to write it (default RUN/{DefaultFile})");

    public static readonly Command Command = Declare();

    static Command Declare()
    {
        var command = new DocumentedCommand("export", "write a run's parameters as a PyTorch state_dict (*.pt)", """
            In PyTorch: model.load_state_dict(torch.load(FILE)), with the model of scripts/pytorch/labelnoise_models.py
            that has the same names (docs/library.md: "PyTorch weights"). The hand-written models are saved as their autograd
            twins: theta (linear) and u, v (quadratic), float64.
            """) { RunFolder, Format, Out };
        command.SetAction(result => Run(result));
        return command;
    }

    public static int Run(ParseResult o)
    {
        string run = o.GetValue(RunFolder)!;
        if (!Directory.Exists(run)) throw new UsageException($"{run} is not a run folder");
        string output = o.GetValue(Out) ?? Path.Combine(run, DefaultFile);
        if (!PyTorchStateDict.IsPyTorchFile(output)) throw new UsageException($"--out must end in .pt or .pth, not '{output}'");

        var config = RunConfigFile.Read(run);
        var data = DataSpec.Parse(config.Data).Load(new DataOptions { TrainSize = config.TrainSize, TestSize = 0 }).Train;
        var built = ModelFactory.Create(ModelSpec.Parse(config.Model), data, config.Backend, RunGenerators.FromSeed(config.Seed).Model);
        using var network = built.Network;
        int count = MeasureCommand.ParameterCount(built);
        var values = ParameterSource.Load(run, count, network);
        if (built.Hand is not null) PyTorchStateDict.WriteFlat(output, built.Hand.Name, values!);
        else
        {
            if (values is not null) FlatParameters.Write(network!.parameters().ToArray(), values);
            PyTorchStateDict.Write(output, network!);
        }
        var names = built.Hand is not null ? PyTorchStateDict.HandLayout(built.Hand.Name, count) : PyTorchStateDict.Layout(network!);
        Console.WriteLine($"wrote {output}: {config.Model}, {count:N0} parameters in {names.Count} tensors ({string.Join(", ", names.Take(4).Select(n => n.Name))}{(names.Count > 4 ? ", …" : "")})");
        return 0;
    }
}
