using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LabelNoise.Benchmarks;
using LabelNoise.Cli.CommandLine;
using LabelNoise.Diagnostics;

namespace LabelNoise.Cli.Commands;

/// <summary>labelnoise doctor: what this machine does to the numbers, checked.</summary>
public static class DoctorCommand
{
    public static readonly Option<bool> Json = CliOptions.Switch("--json", "print the findings as one JSON object");

    public static readonly Command Command = Declare();

    static Command Declare()
    {
        var command = new DocumentedCommand("doctor", "check this machine: processor, BLAS, oneDNN, matmul speed, the gradient self-check of every model kind", """
            A few seconds. The same findings head every reproduction report. LABELNOISE_ONEDNN=on keeps libtorch's oneDNN
            convolutions (faster, wrong on some processors: the gradient self-check then guards every model).
            """) { Json };
        command.SetAction(result => Run(result));
        return command;
    }

    /// <summary>Debian's python3-torch (the bench's peer and the PyTorch twin of the tests): its version, or that it is missing.</summary>
    public static string PythonTorch()
    {
        try
        {
            return PeerRunner.TorchVersion("python3", TimeSpan.FromSeconds(60)) is { } version
                ? "python3-torch " + version : "python3-torch not installed (apt-get install python3-torch)";
        }
        catch (System.ComponentModel.Win32Exception) { return "python3 not installed"; }
    }

    public static int Run(ParseResult options)
    {
        var report = Doctor.Run(PythonTorch());
        if (options.GetValue(Json))
        {
            Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
            return 0;
        }
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"processor      {report.Processor}; {report.Cores} cores; {string.Join(" ", report.VectorExtensions)}");
        Console.WriteLine($"threads        {report.Threads} (libtorch)");
        Console.WriteLine($"blas           {report.Blas}");
        Console.WriteLine($"matmul         float32 {report.Float32Gflops.ToString("F0", c)} GFLOP/s, float64 {report.Float64Gflops.ToString("F0", c)} GFLOP/s (512², all threads)");
        Console.WriteLine($"onednn         {report.OneDnn}");
        Console.WriteLine($"onednn conv    {report.OneDnnConvolution}");
        foreach (var m in report.Models)
            Console.WriteLine(string.Create(c, $"self-check     {m.Kind,-11} {m.Outcome,-22} gradient {m.GradientError:G2}, Hessian-vector product {m.HessianVectorError:G2} (relative to float64; tolerance 1e-4)"));
        Console.WriteLine($"torchsharp     {report.TorchSharp}; libtorch {report.Libtorch}");
        Console.WriteLine($"data           {report.DataPackage}");
        Console.WriteLine($"peer           {report.PyTorch}");
        return 0;
    }
}
