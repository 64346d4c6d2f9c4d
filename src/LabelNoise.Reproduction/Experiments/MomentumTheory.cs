using LabelNoise.Curvature;
using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Noise;
using LabelNoise.Objectives;
using LabelNoise.Training;
using LabelNoise.Randomness;

namespace LabelNoise.Experiments;

/// <summary>A zero-loss point θ* of the sparse-recovery model and the eigen-decomposition of its Gauss–Newton matrix G(θ*).</summary>
/// <param name="Parameters">θ*.</param>
/// <param name="Loss">L(θ*).</param>
/// <param name="Steps">Full-batch gradient steps taken to reach it.</param>
/// <param name="Curvatures">The eigenvalues g_i of G(θ*) above the rank tolerance, ascending.</param>
/// <param name="Directions">The matching unit eigenvectors (one array per mode).</param>
public sealed record Interpolator(double[] Parameters, double Loss, int Steps, double[] Curvatures, double[][] Directions);

/// <summary>The stationary second moment of one mode: measured, with its batch-means standard error, and the sample mean.</summary>
public sealed record ModeMoment(double Curvature, double Measured, double StandardError, double Mean);

/// <summary>
/// The theory side of §5.1 on the quadratically parametrized sparse-recovery model (hand-written float64 path).
/// <para>
/// Heavy-ball label-noise SGD, θ_{k+1} = θ_k − η∇L̂_k + β(θ_k − θ_{k−1}) (eq. 5), linearized at a zero-loss θ* with
/// ∇²L = G: in an eigen-direction of G with curvature g the fluctuation x obeys the AR(2) recursion
/// x_{k+1} = (1 + β − ηg)x_k − βx_{k−1} + e_k with Var e = η²(σ²/B)g. Its stationary variance is
/// (1 + β)·η²(σ²/B)g / [(1 − β)·ηg·(2(1 + β) − ηg)] = λ/(2 − η'g) with λ = ησ²/(B(1 − β)) and η' = η/(1 + β):
/// E[ξξᵀ] = λΠ_G(2 − η'G)⁻¹, hence ½E∇³L[ξ, ξ] = (λ/2)∇³L[(2 − η'∇²L)⁻¹] = λ∇R_β with
/// R_β = −(1 + β)/(2η)·tr log(1 − η∇²L/(2(1 + β))): eq. (6) with its sign fixed. At β = 0 this is Proposition 2.
/// </para>
/// </summary>
public static class MomentumTheory
{
    /// <summary>Modes with g ≤ this × g_max count as outside span G.</summary>
    public const double RankTolerance = 1e-8;

    /// <summary>
    /// Full-batch gradient descent (no noise) from the model's default start to a zero-loss point, with step
    /// 1/λ_max of the starting Hessian, until L ≤ <paramref name="tolerance"/> or <paramref name="maxSteps"/>.
    /// </summary>
    public static Interpolator FindInterpolator(QuadraticModel model, RegressionDataset data, double tolerance, int maxSteps)
    {
        using var learner = new HandLearner(model, data);
        double step;
        using (var start = new HandObjective(model, data, learner.GetParameters()))
            step = 1 / DenseSymmetric.Eigh(start.HessianMatrix()).Values[^1];
        var all = BatchSampler.Full(data.Count);
        var targets = CleanTargets.Of(data, all);
        int steps = 0;
        double loss = learner.Evaluate(data, false).Loss;
        while (loss > tolerance && steps < maxSteps)
        {
            for (int k = 0; k < 100; k++) learner.Step(all, targets, step, 0);
            steps += 100;
            loss = learner.Evaluate(data, false).Loss;
            if (!double.IsFinite(loss)) throw new DivergenceException(steps, "the loss of gradient descent to an interpolator", null);
        }
        var theta = learner.GetParameters();
        using var objective = new HandObjective(model, data, theta);
        var (values, vectors) = DenseSymmetric.Eigh(objective.GaussNewtonMatrix());
        double top = values[^1];
        var kept = Enumerable.Range(0, values.Length).Where(i => values[i] > RankTolerance * top).ToArray();
        int p = values.Length;
        var directions = kept.Select(i => Enumerable.Range(0, p).Select(a => vectors[a, i]).ToArray()).ToArray();
        return new Interpolator(theta, loss, steps, kept.Select(i => values[i]).ToArray(), directions);
    }

    /// <summary>
    /// Heavy-ball label-noise gradient descent on the full batch (every example once per step, fresh ±σ noise on
    /// each: no minibatch noise, so the OU picture is exact to first order) from θ*, and the second moment of
    /// each mode's coordinate ⟨v_i, θ_k − θ*⟩ over <paramref name="steps"/> steps after <paramref name="burnIn"/>,
    /// with batch-means standard errors over <paramref name="batches"/> contiguous batches.
    /// </summary>
    public static ModeMoment[] StationaryMoments(QuadraticModel model, RegressionDataset data, Interpolator point,
        double learningRate, double momentum, double noiseStdDev, int burnIn, int steps, int batches, RandomStream generator,
        CancellationToken cancellation = default)
    {
        if (batches < 2 || steps < batches) throw new ArgumentOutOfRangeException(nameof(batches), batches, "need at least 2 batches and one sample per batch");
        using var learner = new HandLearner(model, data);
        learner.SetParameters(point.Parameters);
        var noise = new PlusMinusNoise(noiseStdDev);
        var all = BatchSampler.Full(data.Count);
        int modes = point.Curvatures.Length, perBatch = steps / batches;
        var batchMeans = new double[batches, modes];
        var sums = new double[modes];
        for (int k = 0; k < burnIn + perBatch * batches; k++)
        {
            if ((k & 1023) == 0) cancellation.ThrowIfCancellationRequested();
            learner.Step(all, noise.Perturb(data, all, generator), learningRate, momentum);
            if (k < burnIn) continue;
            int batch = (k - burnIn) / perBatch;
            var theta = learner.GetParameters();
            for (int i = 0; i < modes; i++)
            {
                var v = point.Directions[i];
                double x = 0;
                for (int a = 0; a < v.Length; a++) x += v[a] * (theta[a] - point.Parameters[a]);
                batchMeans[batch, i] += x * x / perBatch;
                sums[i] += x;
            }
        }
        var result = new ModeMoment[modes];
        for (int i = 0; i < modes; i++)
        {
            double mean = 0;
            for (int b = 0; b < batches; b++) mean += batchMeans[b, i] / batches;
            double squares = 0;
            for (int b = 0; b < batches; b++) squares += (batchMeans[b, i] - mean) * (batchMeans[b, i] - mean);
            result[i] = new ModeMoment(point.Curvatures[i], mean, Math.Sqrt(squares / (batches - 1) / batches), sums[i] / (perBatch * batches));
        }
        return result;
    }

    /// <summary>The stationary variance of a mode with curvature g under heavy ball (derived above): λ/(2 − ηg/(1 + β)).</summary>
    public static double PredictedVariance(double curvature, double learningRate, double momentum, double lambda) =>
        lambda / (2 - learningRate * curvature / (1 + momentum));

    /// <summary>One recorded point of a drift run.</summary>
    public sealed record DriftPoint(int Step, double Trace, double RecoveryError, double Loss);

    /// <summary>
    /// Algorithm 1 with heavy-ball momentum (batch of <paramref name="batchSize"/> drawn with replacement, ±σ noise)
    /// from θ*, recording tr ∇²L (exact), ‖u⊙u − v⊙v − w*‖² and L at <paramref name="records"/> equally spaced steps.
    /// </summary>
    public static IReadOnlyList<DriftPoint> Drift(QuadraticModel model, RegressionDataset data, double[] start, double[] groundTruth,
        double learningRate, double momentum, double noiseStdDev, int batchSize, int steps, int records, RunGenerators generators,
        CancellationToken cancellation = default)
    {
        using var learner = new HandLearner(model, data);
        learner.SetParameters(start);
        var noise = new PlusMinusNoise(noiseStdDev);
        var points = new List<DriftPoint> { Record(0) };
        int done = 0;
        for (int r = 1; r <= records; r++)
        {
            int until = (int)((long)steps * r / records);
            for (; done < until; done++)
            {
                if ((done & 1023) == 0) cancellation.ThrowIfCancellationRequested();
                var batch = BatchSampler.WithReplacement(data.Count, batchSize, generators.Sampler);
                double loss = learner.Step(batch, noise.Perturb(data, batch, generators.Noise), learningRate, momentum);
                if (!double.IsFinite(loss)) throw new DivergenceException(done, $"the batch loss at η = {learningRate}, β = {momentum}", null);
            }
            points.Add(Record(done));
        }
        return points;

        DriftPoint Record(int step)
        {
            var theta = learner.GetParameters();
            using var objective = new HandObjective(model, data, theta);
            var hessian = objective.HessianMatrix();
            double trace = 0;
            for (int a = 0; a < hessian.GetLength(0); a++) trace += hessian[a, a];
            var w = model.EffectiveWeights(theta);
            double error = 0;
            for (int j = 0; j < w.Length; j++) error += (w[j] - groundTruth[j]) * (w[j] - groundTruth[j]);
            return new DriftPoint(step, trace, error, objective.Loss());
        }
    }
}
