using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LabelNoise.Benchmarks;
using LabelNoise.Cli.CommandLine;
using Spectre.Console;

namespace LabelNoise.Cli.Commands;

/// <summary>labelnoise bench: our workloads against the same workloads in PyTorch, in one invocation.</summary>
public static class BenchCommand
{
    public static readonly Option<bool> Json = CliOptions.Switch("--json",
        "print one JSON object (per workload: ours_ms, peer_ms, ratio, peak_mb, ...; machine, versions, the peer's BLAS and how it was checked)");
    public static readonly Option<bool> Quick = CliOptions.Switch("--quick", "every workload, but few repeats, probes and steps: seconds, not minutes");
    public static readonly Option<string> Workloads = CliOptions.Text("--workloads", "A,B", "run only these workloads", completions: BenchSuite.Names);
    public static readonly Option<int?> Rounds = CliOptions.OptionalCount("--rounds", "N",
        "rounds of ours-then-PyTorch for the short workloads, samples pooled and each round's ratio shown (default 3, --quick 1; SLQ runs once)");
    public static readonly Option<string> Python = CliOptions.Text("--python", "PATH", "the peers' interpreter (Debian's, not one on PATH)", PeerOptions.DebianPython);
    public static readonly Option<bool> NoInstall = CliOptions.Switch("--no-install", "never apt-get install python3-torch or OpenBLAS (as root bench does when they are missing)");
    public static readonly Option<bool> NoPeers = CliOptions.Switch("--no-peers", "skip the PyTorch peers");
    public static readonly Option<string> Figures = CliOptions.Text("--figures", "DIR", "where estimator-convergence writes its figure and CSV (default ./bench-figures)");

    public static readonly Command Command = Declare();

    static Command Declare()
    {
        var command = new DocumentedCommand("bench", "time the workloads against the same ones in PyTorch", """
            Times the workloads on 2 threads (warm-up, then repeats: median, min, max; peak memory), and
            the same workloads in PyTorch right after (bench/peers/*.py, Debian's python3-torch with OpenBLAS):
              mlp-step          one label-flip SGD step (p = 0.2), MLP 784-512-512-10, float32, batch 256,
                                with its FLOP/s against a 2048×2048 float32 matmul
              mlp-hvp           one Hessian-vector product on 1,024 examples, and one gradient (the ratio)
              mlp-trace         a Hutchinson trace with 100 probes on those examples
              quadratic-step    one step of Algorithm 1 on the quadratic model (d = 100, n = 40, B = 1, float64)
              quadratic-run     300,000 such steps, end to end (HaoChen's setting)
              slq-regularizer   R(θ) of the MLP by deflated SLQ to 1 % relative standard error
              mlp-step-b32      mlp-step at B = 32, the escape experiments' batch
              trace-rse         tr ∇²L of an MLP trained with label flipping (2,000 Fashion-MNIST examples) to 1 %
                                relative standard error: our best estimator against PyHessian's Hutchinson (the peer
                                stops at a stated product count and extrapolates with SE² ∝ 1/products)
              regularizer-rse   R(θ) of that MLP to 1 %: ours against plain SLQ (full reorthogonalization)
              estimator-convergence  relative error against products for each trace estimator on that MLP: writes
                                estimator-convergence.csv, .png and .svg into --figures (no peer)
            ratio = the strongest PyTorch peer's time ÷ ours (above 1: we are faster): a hand-fused step,
            the exact trace by BackPACK's GGN factorization, exact trace + guard + SLQ on the remainder for R;
            plain ratio = what PyTorch or PyHessian users do (autograd step, Hutchinson, plain SLQ) ÷ ours.
            Step, HVP and exact trace: their matmul FLOPs and each side's fraction of its own matmul rate.
            """) { Json, Quick, Workloads, Rounds, Python, NoInstall, NoPeers, Figures };
        command.SetAction(result => Run(result));
        return command;
    }

    public static int Run(ParseResult o)
    {
        var settings = o.GetValue(Quick) ? BenchSettings.Quick : BenchSettings.Full;
        if (o.GetValue(Rounds) is int rounds)
            settings = rounds >= 1 ? settings with { Rounds = rounds } : throw new UsageException($"--rounds must be at least 1, not {rounds}");
        if (o.GetValue(Figures) is { } figures)
            settings = figures.Trim().Length > 0 ? settings with { FiguresFolder = figures } : throw new UsageException("--figures needs a folder");
        string[]? only = o.GetValue(Workloads)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in only ?? [])
            if (!BenchSuite.Names.Contains(name))
                throw new UsageException($"unknown workload '{name}' (workloads: {string.Join(", ", BenchSuite.Names)})");
        var peers = o.GetValue(NoPeers) ? null : new PeerRunner(new PeerOptions
        {
            Interpreter = o.GetValue(Python)!,
            AllowInstall = !o.GetValue(NoInstall),
            Threads = settings.Threads,
        });
        var report = BenchSuite.Run(settings, peers, only, new SynchronousProgress(line => Console.Error.WriteLine("bench: " + line)));
        if (o.GetValue(Json)) Console.WriteLine(report.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        else Print(report);
        return 0;
    }

    /// <summary>Reports on the calling thread, in order (Progress&lt;T&gt; posts to the thread pool).</summary>
    sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }

    static void Print(BenchReport report)
    {
        var table = new Table()
            .AddColumn("workload")
            .AddColumn(new TableColumn("ours (median)").RightAligned())
            .AddColumn(new TableColumn("ours min–max").RightAligned())
            .AddColumn(new TableColumn("PyTorch").RightAligned())
            .AddColumn(new TableColumn("ratio").RightAligned())
            .AddColumn(new TableColumn("rounds' ratios").RightAligned())
            .AddColumn(new TableColumn("plain PyTorch / PyHessian").RightAligned())
            .AddColumn(new TableColumn("plain ratio").RightAligned())
            .AddColumn(new TableColumn("peak MB ours / PyTorch").RightAligned());
        table.Title = new TableTitle($"{report.Machine.CpuModel}, {report.Settings.Threads} threads{(report.Settings.IsQuick ? " (--quick: not the benchmark's settings)" : "")}");
        foreach (var w in report.Workloads)
        {
            var t = w.Ours.Timing;
            table.AddRow(
                Markup.Escape(w.Name),
                Duration(t.MedianMilliseconds),
                $"{Duration(t.MinMilliseconds)}–{Duration(t.MaxMilliseconds)}",
                w.Peer is null ? $"[grey]{w.PeerStatus}[/]" : Duration(w.Peer.MedianMilliseconds),
                w.Ratio is double r ? Number(r, "F2") : "",
                w.RoundRatios.Count > 1 ? $"{Number(w.RoundRatios.Min(), "F2")}–{Number(w.RoundRatios.Max(), "F2")}" : "",
                w.Plain is null ? "" : Duration(w.Plain.MedianMilliseconds),
                w.PlainRatio is double plain ? Number(plain, "F2") : "",
                Number(w.Ours.PeakMegabytes, "F0") + (w.PeerPeakMegabytes is double peerPeak ? " / " + Number(peerPeak, "F0") : ""));
        }
        AnsiConsole.Write(table);
        Console.WriteLine("ratio = the strongest PyTorch peer's time ÷ ours (above 1: we are faster); plain ratio = what PyTorch or PyHessian users do ÷ ours.");
        Console.WriteLine($"Matmul {report.Matmul.Size}² float32: ours {Number(report.Matmul.Gflops, "F1")} GFLOP/s"
            + (report.PeerMatmulGflops is double pm ? $", PyTorch {Number(pm, "F1")} GFLOP/s." : "."));
        foreach (var w in report.Workloads)
        {
            if (w.PeerMethod is { } method) Console.WriteLine($"{w.Name}: peer = {method}" + (w.PlainMethod is { } plain ? $"; plain = {plain}." : "."));
            if (report.Roofline(w) is { } r)
                Console.WriteLine($"{w.Name}: {Number(r.Flops / 1e9, "G4")} GFLOP of matmuls; ours {Number(r.OursGflops, "F1")} GFLOP/s = {Number(100 * r.OursFraction, "F0")} % of our matmul rate"
                    + (r.PeerFraction is double pf ? $", peer {Number(100 * pf, "F0")} % of its" : "")
                    + (r.PlainFraction is double plf ? $", plain {Number(100 * plf, "F0")} %" : "") + ".");
            if (PeerAgreement.Of(w) is { } agreement) Console.WriteLine($"{w.Name}: {agreement.Sentence}.");
        }
        if (report.Workload("mlp-hvp") is { } hvp && hvp.Ours.Figure("hvp_per_gradient") is double perGradient)
            Console.WriteLine($"mlp-hvp: gradient {Duration(hvp.Ours.Figure("gradient_ms") ?? double.NaN)}; {MlpHvpWorkload.Claim(perGradient)}.");
        if (report.Workload("slq-regularizer") is { } slq)
            Console.WriteLine($"slq-regularizer: R = {Number(slq.Ours.Figure("regularizer") ?? double.NaN, "G5")} ± {Number(100 * (slq.Ours.Figure("relative_standard_error") ?? double.NaN), "F2")} % "
                + $"with {slq.Ours.Figure("products"):F0} products ({slq.Ours.Figure("probes"):F0} probes) in {Number(slq.Ours.Figure("seconds") ?? double.NaN, "F1")} s.");
        foreach (var rse in new[] { report.Workload("trace-rse"), report.Workload("regularizer-rse") }.OfType<WorkloadReport>())
        {
            var f = rse.Ours.Figures;
            Console.WriteLine($"{rse.Name}: ours {Number(f["estimate"], "G5")} ± {Number(100 * f["relative_standard_error"], "F2")} % with {f["products"]:F0} products in {Number(f["seconds"], "F2")} s ({rse.Ours.Notes["estimator"]})"
                + (rse.PeerFigures.TryGetValue("plain_products", out double peerProducts)
                    ? $"; plain PyTorch {Number(rse.PeerFigures["plain_estimate"], "G5")} ± {Number(100 * rse.PeerFigures["plain_relative_standard_error"], "F2")} % after {rse.PeerFigures["plain_run_products"]:F0} products in {Number(rse.PeerFigures["plain_run_seconds"], "F1")} s"
                      + (rse.PeerFigures["plain_extrapolated"] > 0 ? $", extrapolated to {peerProducts:F0} products and {Number(rse.PeerFigures["plain_seconds"], "F0")} s for {Number(100 * rse.Ours.Figures["target_relative_standard_error"], "G3")} % (SE² ∝ 1/products)." : ".")
                    : ".")
                + (rse.PeerFigures.TryGetValue("products", out double strongProducts) ? $" Composed peer: {strongProducts:F0} products in {Number(rse.PeerFigures["seconds"], "F1")} s." : ""));
        }
        if (report.Workload("estimator-convergence") is { } convergence)
            Console.WriteLine($"estimator-convergence: {convergence.Ours.Notes["figure"]} (data: {convergence.Ours.Notes["csv"]}).");
        Console.WriteLine($"Ours: libtorch {TorchSharp.torch.__version__} (TorchSharp); BLAS: {LabelNoise.Native.BlasPreload.Outcome}.");
        var environment = report.PeerEnvironment;
        if (!report.PeerSetup.Available) Console.WriteLine($"PyTorch peers unavailable: {report.PeerSetup.Reason}.");
        else if (environment is not null)
            Console.WriteLine($"PyTorch {environment["torch"]} on {report.PeerSetup.Interpreter}; BLAS: {environment["blas"]} ({environment["blas_check"]}).");
        foreach (var failed in report.Workloads.Where(w => w.PeerStatus == PeerStatus.Failed).Select(w => w.PeerReason).Distinct())
            Console.WriteLine($"PyTorch peer failed: {failed}");
    }

    static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    static string Duration(double milliseconds) => milliseconds switch
    {
        double.NaN => "",
        >= 10_000 => Number(milliseconds / 1000, "F1") + " s",
        >= 1_000 => Number(milliseconds / 1000, "F2") + " s",
        >= 1 => Number(milliseconds, "G3") + " ms",
        _ => Number(milliseconds * 1000, "G3") + " µs",
    };
}
