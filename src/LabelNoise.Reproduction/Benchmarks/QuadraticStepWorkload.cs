namespace LabelNoise.Benchmarks;

/// <summary>
/// quadratic-step: one step of Algorithm 1 on the quadratic model (d = 100, n = 40, B = 1, float64)
/// on the hand path (<see cref="QuadraticProblem.Step"/>); a step is far below the clock's
/// resolution, so each repeat times many steps and divides. The steps run in a loop of
/// <see cref="StepsPerCall"/> inside one timed call, as the trainer runs them: called one by one
/// through the timing delegate, .NET's dynamic PGO settled (after the 2 s warm-up) on code that took
/// 0.35 µs per step against 0.15 µs without PGO and ~0.1 µs in quadratic-run's loop.
/// </summary>
public sealed class QuadraticStepWorkload : IBenchWorkload
{
    public string Name => "quadratic-step";
    public string Description => "one step of Algorithm 1 on the quadratic model, d = 100, n = 40, B = 1, float64 (hand path)";
    public string PeerFamily => "quadratic";

    public const int StepsPerCall = 1000;

    public WorkloadMeasurement Run(BenchContext context)
    {
        using var problem = new QuadraticProblem(context.Settings);
        double lastLoss = double.NaN;
        var calls = RepeatedTiming.Measure(() =>
        {
            for (int step = 0; step < StepsPerCall; step++) lastLoss = problem.Step();
        }, context.Settings.QuadraticStep);
        var timing = TimingSummary.FromSamples(calls.Samples.Select(ms => ms / StepsPerCall));
        if (!double.IsFinite(lastLoss)) throw new InvalidOperationException($"the benchmark's quadratic steps diverged (batch loss {lastLoss})");
        return new WorkloadMeasurement(Name, Description, timing, 0,
            new Dictionary<string, double>
            {
                ["us_per_step"] = timing.MedianMilliseconds * 1000,
                ["steps_per_repeat"] = context.Settings.QuadraticStep.IterationsPerRepeat * StepsPerCall,
            },
            new Dictionary<string, string>());
    }
}
