using LabelNoise.Curvature;
using LabelNoise.Objectives;
using LabelNoise.Randomness;

namespace LabelNoise.Theory;

/// <summary>The distribution of the label noise εᵢ in the OU process.</summary>
public enum OuNoiseDistribution
{
    /// <summary>εᵢ ∈ {−σ, +σ} with equal probability (Algorithm 1).</summary>
    PlusMinus,

    /// <summary>εᵢ ~ N(0, σ²).</summary>
    Gaussian,
}

/// <summary>A simulated path of ξ.</summary>
/// <param name="Steps">The steps k at which ξ_k was recorded: 0, recordEvery, 2·recordEvery, … and the last step.</param>
/// <param name="States">ξ_k at those steps (read-only copies).</param>
/// <param name="StepsTaken">Steps simulated.</param>
/// <param name="Completed">False when ξ became non-finite (only possible when η·g_max ≥ 2).</param>
/// <param name="StopReason">Why the simulation stopped.</param>
public sealed record OuTrajectory(
    IReadOnlyList<int> Steps,
    IReadOnlyList<IReadOnlyList<double>> States,
    int StepsTaken,
    bool Completed,
    string StopReason)
{
    /// <summary>The last recorded state.</summary>
    public IReadOnlyList<double> Final => States[^1];
}

/// <summary>
/// The empirical stationary second moment E[ξξᵀ] of a long simulated chain, with batch-means standard
/// errors: the post-burn-in samples are split into <see cref="Batches"/> contiguous batches of
/// <see cref="SamplesPerBatch"/> samples, and the standard error of entry (i, j) is the sample standard
/// deviation of the batch means divided by √batches. (Consecutive states are correlated, so the naive
/// standard error sd/√samples would be too small; batch means stay valid when each batch spans many
/// relaxation times 1/(η·g_min).) Matrices are returned as copies.
/// </summary>
public sealed record OuCovarianceEstimate
{
    readonly double[,] covariance;
    readonly double[,] standardErrors;

    internal OuCovarianceEstimate(double[,] covariance, double[,] standardErrors, double[] mean, int samples, int batches,
        int samplesPerBatch, int burnIn, int steps, int thinning, string stopReason)
    {
        this.covariance = covariance;
        this.standardErrors = standardErrors;
        Mean = Array.AsReadOnly(mean);
        Samples = samples;
        Batches = batches;
        SamplesPerBatch = samplesPerBatch;
        BurnIn = burnIn;
        Steps = steps;
        Thinning = thinning;
        StopReason = stopReason;
    }

    /// <summary>(1/samples) Σ ξ_k ξ_kᵀ over the kept samples: the uncentred second moment, since E[ξ] = 0 (a copy).</summary>
    public double[,] Covariance => (double[,])covariance.Clone();

    /// <summary>Batch-means standard error of each entry of <see cref="Covariance"/> (a copy).</summary>
    public double[,] StandardErrors => (double[,])standardErrors.Clone();

    /// <summary>The sample mean of ξ (should be within a few standard errors of 0).</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Samples used: <see cref="Batches"/> × <see cref="SamplesPerBatch"/>.</summary>
    public int Samples { get; }

    public int Batches { get; }
    public int SamplesPerBatch { get; }

    /// <summary>Steps simulated and discarded before the first sample.</summary>
    public int BurnIn { get; }

    /// <summary>Steps simulated after the burn-in (Samples × Thinning).</summary>
    public int Steps { get; }

    /// <summary>One sample every this many steps.</summary>
    public int Thinning { get; }

    public string StopReason { get; }

    public double Entry(int row, int column) => covariance[row, column];
    public double StandardError(int row, int column) => standardErrors[row, column];
}

/// <summary>
/// The Ornstein–Uhlenbeck-like process of eq. (4) (Damian, Ma &amp; Lee 2021, Section 3.1):
/// ξ_0 = 0, ξ_{k+1} = (I − ηG)ξ_k + ε*_k, with ε*_k = (η/B) Σ_{i ∈ batch} εᵢ ∇fᵢ(θ*), the batch drawn
/// from [n]^B with replacement and εᵢ fresh every step (±σ, or N(0, σ²)), and G = (1/n) Σᵢ ∇fᵢ∇fᵢᵀ.
/// ε*_k has mean 0 and covariance ηλG with λ = ησ²/B, so ξ stays in span G and E[ξ_kξ_kᵀ] tends to
/// λΠ_G(2I − ηG)⁻¹ (Proposition 2; <see cref="StationaryCovariance"/>) when η·g_max &lt; 2.
/// <para>
/// Each step draws, for each of the B batch slots in turn, the index (NextInt(n)) and then its noise
/// (NextSign or NextGaussian), so a run is a function of the generator's state.
/// </para>
/// </summary>
public sealed class OuProcess
{
    /// <summary>The fewest batches <see cref="EmpiricalCovariance"/> accepts.</summary>
    public const int MinimumBatches = 20;

    /// <summary>Relative tolerance (to max|G|) for a passed G to agree with (1/n) Σ ∇fᵢ∇fᵢᵀ.</summary>
    public const double GaussNewtonTolerance = 1e-8;

    readonly double[][] rows;
    readonly double[,] g;
    readonly double[] gFlat;
    readonly int dimension;

    /// <param name="outputGradients">∇fᵢ(θ*) for i = 1..n, one row each (copied).</param>
    /// <param name="learningRate">η.</param>
    /// <param name="noiseStdDev">σ.</param>
    /// <param name="batchSize">B.</param>
    /// <param name="noise">The distribution of εᵢ.</param>
    /// <param name="gaussNewton">G, if already at hand; it must agree with (1/n) Σ ∇fᵢ∇fᵢᵀ, which is computed otherwise.</param>
    public OuProcess(double[][] outputGradients, double learningRate, double noiseStdDev, int batchSize,
        OuNoiseDistribution noise = OuNoiseDistribution.PlusMinus, double[,]? gaussNewton = null)
    {
        ArgumentNullException.ThrowIfNull(outputGradients);
        if (outputGradients.Length == 0) throw new ArgumentException("at least one output gradient is needed", nameof(outputGradients));
        dimension = outputGradients[0]?.Length ?? throw new ArgumentException("output gradient 0 is null", nameof(outputGradients));
        if (dimension == 0) throw new ArgumentException("the output gradients are empty", nameof(outputGradients));
        rows = new double[outputGradients.Length][];
        for (int i = 0; i < rows.Length; i++)
        {
            var row = outputGradients[i] ?? throw new ArgumentException($"output gradient {i} is null", nameof(outputGradients));
            if (row.Length != dimension)
                throw new ArgumentException($"output gradient {i} has {row.Length} entries but output gradient 0 has {dimension}", nameof(outputGradients));
            for (int j = 0; j < dimension; j++)
                if (!double.IsFinite(row[j])) throw new ArgumentException($"output gradient {i} has entry {j} = {row[j]}", nameof(outputGradients));
            rows[i] = (double[])row.Clone();
        }
        // λ = ησ²/B also checks η, σ and B.
        Lambda = ImplicitRegularizer.Lambda(learningRate, noiseStdDev, batchSize);
        if (!Enum.IsDefined(noise)) throw new ArgumentOutOfRangeException(nameof(noise), noise, "unknown noise distribution");
        LearningRate = learningRate;
        NoiseStdDev = noiseStdDev;
        BatchSize = batchSize;
        Noise = noise;

        var computed = GaussNewtonOf(rows, dimension);
        if (gaussNewton is not null)
        {
            if (gaussNewton.GetLength(0) != dimension || gaussNewton.GetLength(1) != dimension)
                throw new ArgumentException($"G is {gaussNewton.GetLength(0)}×{gaussNewton.GetLength(1)} but the gradients have {dimension} entries", nameof(gaussNewton));
            double scale = 0, deviation = 0;
            for (int a = 0; a < dimension; a++)
                for (int b = 0; b < dimension; b++)
                {
                    if (!double.IsFinite(gaussNewton[a, b])) throw new ArgumentException($"G has entry ({a}, {b}) = {gaussNewton[a, b]}", nameof(gaussNewton));
                    scale = Math.Max(scale, Math.Abs(computed[a, b]));
                    deviation = Math.Max(deviation, Math.Abs(gaussNewton[a, b] - computed[a, b]));
                }
            if (deviation > GaussNewtonTolerance * Math.Max(scale, double.Epsilon))
                throw new ArgumentException($"G differs from (1/n) sum of grad f_i grad f_i^T by {deviation:G3} (largest entry {scale:G3})", nameof(gaussNewton));
            g = new MatrixOperator(gaussNewton).ToArray(); // symmetrized copy
        }
        else g = computed;
        gFlat = new double[dimension * dimension];
        for (int a = 0; a < dimension; a++)
            for (int b = 0; b < dimension; b++) gFlat[a * dimension + b] = g[a, b];
        LargestCurvature = Math.Max(0, SymmetricEigen.Eigenvalues(g).Max());
    }

    /// <summary>
    /// The process at the objective's current point θ*: rows ∇fᵢ(θ*) from <see cref="HandObjective.OutputGradient"/>,
    /// checked against <see cref="HandObjective.GaussNewtonMatrix"/>.
    /// </summary>
    public static OuProcess FromObjective(HandObjective objective, double learningRate, double noiseStdDev, int batchSize,
        OuNoiseDistribution noise = OuNoiseDistribution.PlusMinus)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var gradients = Enumerable.Range(0, objective.ExampleCount).Select(objective.OutputGradient).ToArray();
        return new OuProcess(gradients, learningRate, noiseStdDev, batchSize, noise, objective.GaussNewtonMatrix());
    }

    /// <summary>P, the length of ξ.</summary>
    public int Dimension => dimension;

    /// <summary>n, the number of output gradients.</summary>
    public int ExampleCount => rows.Length;

    public double LearningRate { get; }
    public double NoiseStdDev { get; }
    public int BatchSize { get; }
    public OuNoiseDistribution Noise { get; }

    /// <summary>λ = ησ²/B.</summary>
    public double Lambda { get; }

    /// <summary>g_max, the largest eigenvalue of G.</summary>
    public double LargestCurvature { get; }

    /// <summary>Whether η·g_max &lt; 2, so that ξ has a stationary distribution.</summary>
    public bool IsStable => LearningRate * LargestCurvature < 2;

    /// <summary>G = (1/n) Σ ∇fᵢ∇fᵢᵀ (a copy).</summary>
    public double[,] GaussNewton => (double[,])g.Clone();

    /// <summary>∇fᵢ(θ*) (a copy).</summary>
    public double[] OutputGradient(int i)
    {
        if ((uint)i >= (uint)rows.Length) throw new ArgumentOutOfRangeException(nameof(i), i, $"there are {rows.Length} output gradients");
        return (double[])rows[i].Clone();
    }

    /// <summary>Proposition 2's limit λΠ_G(2I − ηG)⁻¹ (throws when η·g_max ≥ 2).</summary>
    public double[,] StationaryCovariance() => OuCovariance.StationaryClosedForm(g, LearningRate, Lambda);

    /// <summary>The limit by the Lyapunov solver: Σ = (I − ηG)Σ(I − ηG) + ηλG.</summary>
    public LyapunovSolution StationaryCovarianceByLyapunov() => OuCovariance.Stationary(g, LearningRate, Lambda);

    /// <summary>One draw of ε* = (η/B) Σ_{i ∈ batch} εᵢ∇fᵢ(θ*) (mean 0, covariance ηλG).</summary>
    public double[] SampleNoise(RandomStream generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var noise = new double[dimension];
        AddNoise(noise, generator);
        return noise;
    }

    /// <summary>
    /// Simulates ξ_1..ξ_steps from ξ_0 = 0, recording ξ_k at k = 0, recordEvery, … and at the last step.
    /// Stops early (Completed = false) if ξ becomes non-finite.
    /// </summary>
    public OuTrajectory Simulate(int steps, RandomStream generator, int recordEvery = 1)
    {
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "the number of steps must be non-negative");
        ArgumentNullException.ThrowIfNull(generator);
        if (recordEvery < 1) throw new ArgumentOutOfRangeException(nameof(recordEvery), recordEvery, "recordEvery must be at least 1");
        var xi = new double[dimension];
        var scratch = new double[dimension];
        var recordedSteps = new List<int> { 0 };
        var states = new List<IReadOnlyList<double>> { Array.AsReadOnly(new double[dimension]) };
        for (int k = 1; k <= steps; k++)
        {
            Step(xi, scratch, generator);
            bool finite = AllFinite(xi);
            if (k % recordEvery == 0 || k == steps || !finite)
            {
                recordedSteps.Add(k);
                states.Add(Array.AsReadOnly((double[])xi.Clone()));
            }
            if (!finite)
                return new OuTrajectory(recordedSteps.AsReadOnly(), states.AsReadOnly(), k, false,
                    $"xi became non-finite at step {k} (eta*g_max = {LearningRate * LargestCurvature:G6} >= 2 makes the process unstable)");
        }
        return new OuTrajectory(recordedSteps.AsReadOnly(), states.AsReadOnly(), steps, true, $"completed {steps} steps");
    }

    /// <summary>
    /// E[ξξᵀ] from one chain: <paramref name="burnIn"/> steps discarded, then a sample every
    /// <paramref name="thinning"/> steps, as many as fill <paramref name="batches"/> equal batches within
    /// <paramref name="steps"/> post-burn-in steps (the remainder is not simulated). Standard errors by
    /// batch means. Requires η·g_max &lt; 2.
    /// </summary>
    public OuCovarianceEstimate EmpiricalCovariance(int burnIn, int steps, int thinning, RandomStream generator, int batches = MinimumBatches)
    {
        if (burnIn < 0) throw new ArgumentOutOfRangeException(nameof(burnIn), burnIn, "the burn-in must be non-negative");
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "at least one step is needed");
        if (thinning < 1) throw new ArgumentOutOfRangeException(nameof(thinning), thinning, "the thinning must be at least 1");
        ArgumentNullException.ThrowIfNull(generator);
        if (batches < MinimumBatches)
            throw new ArgumentOutOfRangeException(nameof(batches), batches, $"batch-means standard errors need at least {MinimumBatches} batches");
        int perBatch = steps / thinning / batches;
        if (perBatch < 1)
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"{steps} steps thinned by {thinning} give fewer than one sample for each of {batches} batches");
        if (!IsStable)
            throw new InvalidOperationException($"no stationary distribution: eta*g_max = {LearningRate * LargestCurvature:G6} >= 2");

        int p = dimension;
        var xi = new double[p];
        var scratch = new double[p];
        for (int k = 0; k < burnIn; k++) Step(xi, scratch, generator);

        var moments = new BatchMeansSecondMoment(p, batches, perBatch);
        var meanSum = new double[p];
        for (int b = 0; b < batches; b++)
        {
            for (int s = 0; s < perBatch; s++)
            {
                for (int t = 0; t < thinning; t++) Step(xi, scratch, generator);
                for (int i = 0; i < p; i++) meanSum[i] += xi[i];
                moments.Add(xi);
            }
            if (!AllFinite(xi))
                throw new InvalidOperationException($"xi became non-finite in batch {b} despite eta*g_max = {LearningRate * LargestCurvature:G6} < 2");
        }
        var covariance = moments.Mean();
        var errors = moments.StandardErrors();
        int samples = batches * perBatch;
        var sampleMean = meanSum.Select(x => x / samples).ToArray();
        return new OuCovarianceEstimate(covariance, errors, sampleMean, samples, batches, perBatch, burnIn, samples * thinning, thinning,
            $"completed: {samples} samples in {batches} batches of {perBatch}, every {thinning} steps after {burnIn} burn-in steps");
    }

    /// <summary>ξ ← (I − ηG)ξ + ε* (eq. 4).</summary>
    void Step(double[] xi, double[] scratch, RandomStream generator)
    {
        int p = dimension, n = rows.Length;
        // scratch = Gξ, by the dense G (P² flops) or by the rows, (1/n) Σ ∇fᵢ(∇fᵢ·ξ) (2nP flops).
        if (p <= 2 * n)
        {
            for (int a = 0; a < p; a++)
            {
                double s = 0;
                int offset = a * p;
                for (int b = 0; b < p; b++) s += gFlat[offset + b] * xi[b];
                scratch[a] = s;
            }
        }
        else
        {
            Array.Clear(scratch);
            for (int i = 0; i < n; i++)
            {
                var row = rows[i];
                double dot = 0;
                for (int b = 0; b < p; b++) dot += row[b] * xi[b];
                dot /= n;
                for (int a = 0; a < p; a++) scratch[a] += dot * row[a];
            }
        }
        for (int a = 0; a < p; a++) xi[a] -= LearningRate * scratch[a];
        AddNoise(xi, generator);
    }

    /// <summary>target += (η/B) Σ_{slots} εᵢ∇fᵢ, drawing index then noise for each slot.</summary>
    void AddNoise(double[] target, RandomStream generator)
    {
        double scale = LearningRate / BatchSize;
        for (int slot = 0; slot < BatchSize; slot++)
        {
            var row = rows[generator.NextInt(rows.Length)];
            double unit = Noise == OuNoiseDistribution.PlusMinus ? generator.NextSign() : generator.NextGaussian();
            double coefficient = scale * (NoiseStdDev * unit);
            for (int a = 0; a < dimension; a++) target[a] += coefficient * row[a];
        }
    }

    static double[,] GaussNewtonOf(double[][] rows, int p)
    {
        var g = new double[p, p];
        foreach (var row in rows)
            for (int a = 0; a < p; a++)
            {
                double scaled = row[a] / rows.Length;
                for (int b = 0; b < p; b++) g[a, b] += scaled * row[b];
            }
        return g;
    }

    static bool AllFinite(double[] v)
    {
        foreach (double x in v)
            if (!double.IsFinite(x)) return false;
        return true;
    }
}
