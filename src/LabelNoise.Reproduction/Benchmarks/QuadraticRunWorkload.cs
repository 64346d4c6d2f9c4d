namespace LabelNoise.Benchmarks;

/// <summary>
/// quadratic-run: HaoChen's setting end to end: make the data and the learner, take
/// <see cref="BenchSettings.QuadraticRunSteps"/> steps of Algorithm 1 (300,000 in the benchmark),
/// then evaluate the training loss and the recovery error ‖u⊙u − v⊙v − w*‖².
/// </summary>
public sealed class QuadraticRunWorkload : IBenchWorkload
{
    public string Name => "quadratic-run";
    public string Description => "300,000 steps of Algorithm 1 on the quadratic model, end to end (HaoChen's setting)";
    public string PeerFamily => "quadratic";

    public WorkloadMeasurement Run(BenchContext context)
    {
        var settings = context.Settings;
        double recovery = double.NaN, loss = double.NaN;
        var timing = RepeatedTiming.Measure(() =>
        {
            using var problem = new QuadraticProblem(settings);
            for (int step = 0; step < settings.QuadraticRunSteps; step++) problem.Step();
            recovery = problem.RecoveryError();
            loss = problem.TrainLoss();
        }, settings.QuadraticRun);
        return new WorkloadMeasurement(Name, Description, timing, 0,
            new Dictionary<string, double>
            {
                ["steps"] = settings.QuadraticRunSteps,
                ["recovery_error"] = recovery,
                ["train_loss"] = loss,
            },
            new Dictionary<string, string>());
    }
}
