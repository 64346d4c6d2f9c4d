using System.Text.Json;
using LabelNoise.Benchmarks;
using LabelNoise.Data;
using TorchSharp;
using LabelNoise.Randomness;
using LabelNoise.Files;

namespace LabelNoise.Report;

/// <summary>
/// What results/reproduce.json records of the last <c>labelnoise reproduce</c>: which experiments ran, the wall time, and this
/// machine's float32 matmul throughput measured right before and after (its speed varies 2–3× between days), so that a reader
/// can scale the times in the report, and <c>labelnoise doctor</c>'s line (processor, BLAS, oneDNN, gradient self-checks).
/// </summary>
public sealed record ReproduceRun(IReadOnlyList<string> Experiments, string Scale, ulong Seed, double WallSeconds, double MatmulGflopsBefore, double MatmulGflopsAfter,
    int MatmulSize, int Threads, string? Machine = null)
{
    public const string FileName = "reproduce.json";

    /// <summary>The size of the timed matmul (2·n³ flops, median of 10 after a warm-up).</summary>
    public const int DefaultMatmulSize = 1024;

    /// <summary>This machine's float32 matmul GFLOP/s on all its cores, as the bench measures it.</summary>
    public static double MeasureGflops(int size = DefaultMatmulSize)
    {
        int threads = torch.get_num_threads();
        try
        {
            torch.set_num_threads(Environment.ProcessorCount);
            return MatmulThroughput.Measure(size, new TimingPlan(2, 10, minWarmupSeconds: 0.5), new RandomStream(0)).Gflops;
        }
        finally { torch.set_num_threads(threads); }
    }

    static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public void Write(string folder) => AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Options) + "\n");

    /// <summary>The record in <paramref name="folder"/>, or null when there is none.</summary>
    public static ReproduceRun? Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<ReproduceRun>(File.ReadAllText(path), Options); }
        catch (JsonException e) { throw new DataFormatException(path, "is not a valid reproduce record (" + e.Message.Split('.')[0] + ")"); }
    }
}
