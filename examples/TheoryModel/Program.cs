// The quadratic model f(x; u, v) = ⟨u⊙u − v⊙v, x⟩ (HaoChen et al. 2020) driven step by step from C#:
// label-noise SGD θₖ (Algorithm 1, ε ∈ {−σ, +σ}) beside the regularized trajectory Φₖ (eq. 2: gradient descent
// on L̃ = L + λR with λ = ησ²/B), both from u = 1, v = 0. Lemma 1: θₖ ≈ Φₖ + ξₖ, so both should drift towards
// the sparse interpolator while their loss stays near 0, with R decreasing.
// Usage: dotnet run -c Release -- [steps=2000]   (Φ costs ~25 ms a step: a dense Hessian and ∇³L each step)
using LabelNoise.Data;
using LabelNoise.Models;
using LabelNoise.Noise;
using LabelNoise.Objectives;
using LabelNoise.Randomness;
using LabelNoise.Theory;
using LabelNoise.Training;

int steps = args.Length > 0 ? int.Parse(args[0]) : 2_000;
const int Features = 20, Examples = 10, Support = 2, BatchSize = 1;
const double LearningRate = 0.01, NoiseStdDev = 1;

var data = (RegressionDataset)SparseRegressionGenerator.Generate(Features, Examples, Support, seed: 1, testSize: 0).Train;
var groundTruth = SparseRegressionGenerator.GroundTruth(Features, Support);
var model = new QuadraticModel(Features);
var start = model.DefaultParameters(); // u = 1, v = 0

// θ: label-noise SGD, step by step.
var learner = new HandLearner(model, data);
var noise = new PlusMinusNoise(NoiseStdDev);
RandomStream sampler = new(1), labels = new(2);
var batch = new int[BatchSize];
BatchTargets? targets = null;

// Φ: eq. (2), exactly (dense Hessian: a small model), recorded every `every` steps.
double lambda = ImplicitRegularizer.Lambda(LearningRate, NoiseStdDev, BatchSize);
int every = Math.Max(1, steps / 10);
using var phiObjective = new HandObjective(model, data, start);
var phi = RegularizedTrajectory.Run(new RegularizedLoss(phiObjective, new RegularizerSettings(LearningRate), lambda), start, steps, every);
if (phi.Stop != TrajectoryStop.Completed) Console.WriteLine("Φ stopped early: " + phi.StopReason);
var phiAt = phi.Points.ToDictionary(p => p.Step);

// L and R at θₖ, from the same exact routine Φ uses.
using var thetaObjective = new HandObjective(model, data, start);
var thetaLoss = new RegularizedLoss(thetaObjective, new RegularizerSettings(LearningRate), lambda);

Console.WriteLine($"quadratic model, d = {Features}, n = {Examples}, η = {LearningRate}, σ = {NoiseStdDev}, B = {BatchSize}, λ = {lambda}");
Console.WriteLine($"{"step",7} {"L(θ)",10} {"R(θ)",9} {"‖u²−v²−w*‖(θ)",15} | {"L(Φ)",10} {"R(Φ)",9} {"‖u²−v²−w*‖(Φ)",15} {"‖θ−Φ‖",8}");
for (int step = 0; step <= steps; step++)
{
    if (phiAt.TryGetValue(step, out var point))
    {
        var theta = learner.GetParameters();
        thetaObjective.SetParameters(theta);
        var atTheta = thetaLoss.Evaluate(withGradient: false);
        var phiParameters = point.Parameters.ToArray();
        double distance = Math.Sqrt(theta.Zip(phiParameters, (a, b) => (a - b) * (a - b)).Sum());
        Console.WriteLine($"{step,7} {atTheta.Loss,10:G3} {atTheta.Regularizer,9:F4} {Recovery(theta),15:F4} | {point.Loss,10:G3} {point.Regularizer,9:F4} {Recovery(phiParameters),15:F4} {distance,8:F4}");
    }
    if (step == steps) break;
    BatchSampler.Fill(batch, data.Count, sampler);
    targets = noise.Perturb(data, batch, labels, targets);
    learner.Step(batch, targets, LearningRate, momentum: 0);
}

// ‖u⊙u − v⊙v − w*‖: 0 at the sparse ground truth.
double Recovery(double[] parameters) =>
    Math.Sqrt(Enumerable.Range(0, Features).Sum(j =>
    {
        double w = parameters[j] * parameters[j] - parameters[Features + j] * parameters[Features + j] - groundTruth[j];
        return w * w;
    }));
