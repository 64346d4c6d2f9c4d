namespace LabelNoise.Benchmarks;

/// <summary>
/// quadratic-step: one step of Algorithm 1 on the quadratic model (d = 100, n = 40, B = 1, float64)
/// on the hand path (<see cref="QuadraticProblem.Step"/>); a step is far below the clock's
/// resolution, so each repeat times many steps and divides.
/// </summary>
public sealed class QuadraticStepWorkload : IBenchWorkload
{
    public string Name => "quadratic-step";
    public string Description => "one step of Algorithm 1 on the quadratic model, d = 100, n = 40, B = 1, float64 (hand path)";
    public string PeerFamily => "quadratic";

    public WorkloadMeasurement Run(BenchContext context)
    {
        using var problem = new QuadraticProblem(context.Settings);
        double lastLoss = double.NaN;
        var timing = RepeatedTiming.Measure(() => lastLoss = problem.Step(), context.Settings.QuadraticStep);
        if (!double.IsFinite(lastLoss)) throw new InvalidOperationException($"the benchmark's quadratic steps diverged (batch loss {lastLoss})");
        return new WorkloadMeasurement(Name, Description, timing, 0,
            new Dictionary<string, double>
            {
                ["us_per_step"] = timing.MedianMilliseconds * 1000,
                ["steps_per_repeat"] = context.Settings.QuadraticStep.IterationsPerRepeat,
            },
            new Dictionary<string, string>());
    }
}
