using LabelNoise.Cli;

return CliApplication.Run(args);
