namespace LabelNoise.Theory;

/// <summary>Why a stationarity witness search stopped.</summary>
public enum StationarityStop
{
    /// <summary>A point with ‖∇F‖ ≤ ε was reached (possibly the start itself).</summary>
    WitnessFound,

    /// <summary>The step budget ran out first.</summary>
    StepBudgetExhausted,

    /// <summary>The search went farther than the distance budget from the start.</summary>
    DistanceBudgetExceeded,

    /// <summary>No step size down to InitialStepSize·2^−MaxHalvings decreased F (or kept R finite).</summary>
    LineSearchFailed,

    /// <summary>R = +∞ at the start (η'·λ_max ≥ 2): F and ∇F are undefined there.</summary>
    RegularizerInfiniteAtPoint,

    /// <summary>A loss or gradient became NaN or infinite.</summary>
    NonFinite,
}

/// <summary>
/// How the witness search runs: gradient descent on F = L̃/λ, written as steps θ ← θ − s∇L̃ (s = λ × the
/// step on F) with Armijo backtracking on L̃: a trial is accepted when
/// L̃(trial) ≤ L̃(θ) − c·s‖∇L̃‖², or, when the decrease is below roundoff in L̃, when L̃ did not rise
/// beyond roundoff and ‖∇L̃‖ fell. A trial where R = +∞ is rejected. After an accepted step the next
/// trial is min(2s, InitialStepSize).
/// </summary>
public sealed record StationaritySearchOptions
{
    /// <param name="maxSteps">Accepted gradient steps at most.</param>
    /// <param name="initialStepSize">The first (and largest) step s on L̃; null: η of the regularizer, the step of eq. (2).</param>
    /// <param name="maxDistance">Stop once ‖θ_k − θ‖ exceeds this (null: no limit).</param>
    /// <param name="maxHalvings">Halvings of s per step before the line search gives up.</param>
    /// <param name="sufficientDecrease">Armijo's c, in (0, 1).</param>
    public StationaritySearchOptions(int maxSteps = 10_000, double? initialStepSize = null, double? maxDistance = null, int maxHalvings = 60, double sufficientDecrease = 1e-4)
    {
        if (maxSteps < 0) throw new ArgumentOutOfRangeException(nameof(maxSteps), maxSteps, "the step budget must be non-negative");
        if (initialStepSize is double s && (!(s > 0) || double.IsInfinity(s)))
            throw new ArgumentOutOfRangeException(nameof(initialStepSize), s, "the initial step size must be positive and finite");
        if (maxDistance is double d && !(d >= 0))
            throw new ArgumentOutOfRangeException(nameof(maxDistance), d, "the distance budget must be non-negative");
        if (maxHalvings < 0) throw new ArgumentOutOfRangeException(nameof(maxHalvings), maxHalvings, "the number of halvings must be non-negative");
        if (!(sufficientDecrease > 0 && sufficientDecrease < 1))
            throw new ArgumentOutOfRangeException(nameof(sufficientDecrease), sufficientDecrease, "Armijo's constant must be in (0, 1)");
        MaxSteps = maxSteps;
        InitialStepSize = initialStepSize;
        MaxDistance = maxDistance;
        MaxHalvings = maxHalvings;
        SufficientDecrease = sufficientDecrease;
    }

    public int MaxSteps { get; }
    public double? InitialStepSize { get; }
    public double? MaxDistance { get; }
    public int MaxHalvings { get; }
    public double SufficientDecrease { get; }

    public static StationaritySearchOptions Default { get; } = new();
}

/// <summary>
/// The outcome of a witness search for (ε, γ)-stationarity (Definition 2) of θ for F = L̃/λ.
/// </summary>
/// <param name="Epsilon">The ε searched for.</param>
/// <param name="Lambda">λ of F = L̃/λ.</param>
/// <param name="GradientNormAtPoint">‖∇F(θ)‖ = ‖∇L̃(θ)‖/λ at the point itself (+∞ when R(θ) = +∞).</param>
/// <param name="WitnessFound">Whether a θ* with ‖∇F(θ*)‖ ≤ ε was reached.</param>
/// <param name="WitnessDistance">‖θ − θ*‖ for the first such θ*: an upper bound on the smallest γ for which θ is (ε, γ)-stationary; +∞ when none was found.</param>
/// <param name="WitnessGradientNorm">‖∇F(θ*)‖ (≤ ε); NaN when none was found.</param>
/// <param name="Witness">θ* (a read-only copy), or null.</param>
/// <param name="FinalDistance">‖θ − θ_last‖ for the last point reached (equals the witness distance when found).</param>
/// <param name="FinalGradientNorm">‖∇F(θ_last)‖.</param>
/// <param name="PathLength">Σ‖θ_{k+1} − θ_k‖ along the search (≥ <see cref="FinalDistance"/>).</param>
/// <param name="Steps">Accepted gradient steps.</param>
/// <param name="Evaluations">Evaluations of L̃ and ∇L̃ (each a dense Hessian and its eigen-decomposition).</param>
/// <param name="Stop">Why the search stopped.</param>
/// <param name="StopReason">The stop, in words.</param>
public sealed record StationarityResult(
    double Epsilon,
    double Lambda,
    double GradientNormAtPoint,
    bool WitnessFound,
    double WitnessDistance,
    double WitnessGradientNorm,
    IReadOnlyList<double>? Witness,
    double FinalDistance,
    double FinalGradientNorm,
    double PathLength,
    int Steps,
    int Evaluations,
    StationarityStop Stop,
    string StopReason)
{
    /// <summary>
    /// True when the search certifies (ε, γ)-stationarity: a witness with ‖∇F‖ ≤ <paramref name="epsilon"/>
    /// within <paramref name="gamma"/>. False means "not certified" (the witness found, if any, is farther
    /// than γ or was searched for a larger ε), not a proof that no closer witness exists.
    /// </summary>
    public bool IsStationary(double epsilon, double gamma)
    {
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be non-negative");
        if (!(gamma >= 0)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be non-negative");
        return WitnessFound && WitnessGradientNorm <= epsilon && WitnessDistance <= gamma;
    }
}

/// <summary>
/// (ε, γ)-stationarity of Definition 2 (Damian, Ma &amp; Lee 2021) for the rescaled regularized loss
/// F = L̃/λ = L/λ + R: θ is (ε, γ)-stationary if some θ* has ‖∇F(θ*)‖ ≤ ε and ‖θ − θ*‖ ≤ γ. The
/// smallest such γ is not computable in general; <see cref="Search"/> finds a constructive witness by
/// gradient descent on F from θ, so its distance is an upper bound on that γ. L̃ and ∇L̃ are exact
/// (<see cref="RegularizedLoss"/>: dense Hessian, small models only).
/// </summary>
public static class Stationarity
{
    const double MachineEpsilon = 2.220446049250313e-16; // 2^−52

    /// <summary>‖∇F(θ)‖ = ‖∇L̃(θ)‖/λ at <paramref name="point"/> (+∞ when R = +∞ there). The objective's point is restored.</summary>
    public static double GradientNorm(RegularizedLoss loss, ReadOnlySpan<double> point)
    {
        CheckLoss(loss);
        CheckPoint(loss, point);
        var objective = loss.Objective;
        var original = objective.GetParameters();
        try
        {
            objective.SetParameters(point);
            var evaluated = loss.Evaluate();
            return evaluated.IsFinite ? Norm(evaluated.RegularizedGradient!) / loss.Lambda : double.PositiveInfinity;
        }
        finally
        {
            objective.SetParameters(original);
        }
    }

    /// <summary>
    /// Searches for a witness θ* with ‖∇F(θ*)‖ ≤ <paramref name="epsilon"/> by gradient descent on F from
    /// <paramref name="point"/> (see <see cref="StationaritySearchOptions"/>), stopping at the first one.
    /// The objective's point is moved during the search and restored afterwards.
    /// </summary>
    public static StationarityResult Search(RegularizedLoss loss, ReadOnlySpan<double> point, double epsilon, StationaritySearchOptions? options = null)
    {
        CheckLoss(loss);
        CheckPoint(loss, point);
        if (!(epsilon >= 0) || double.IsInfinity(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be non-negative and finite");
        options ??= StationaritySearchOptions.Default;
        double lambda = loss.Lambda;
        double maxStep = options.InitialStepSize ?? loss.Settings.LearningRate;

        var objective = loss.Objective;
        var original = objective.GetParameters();
        var start = point.ToArray();
        try
        {
            int evaluations = 0;
            RegularizedPoint Evaluate(double[] at)
            {
                objective.SetParameters(at);
                evaluations++;
                return loss.Evaluate();
            }

            var theta = start;
            var current = Evaluate(theta);
            if (!current.IsFinite)
                return NotFound(double.PositiveInfinity, 0, double.PositiveInfinity, 0, 0, StationarityStop.RegularizerInfiniteAtPoint,
                    "R = +infinity at the point (eta'*lambda_max >= 2): grad F is undefined");
            if (!IsFinite(current))
                return NotFound(double.NaN, 0, double.NaN, 0, 0, StationarityStop.NonFinite, "the loss or its gradient is not finite at the point");
            double gradientNorm = Norm(current.RegularizedGradient!);
            double atPoint = gradientNorm / lambda;
            if (atPoint <= epsilon) return Found(theta, 0, atPoint, 0, 0);

            double step = maxStep, pathLength = 0, distance = 0;
            for (int k = 1; k <= options.MaxSteps; k++)
            {
                var gradient = current.RegularizedGradient!;
                double[]? accepted = null;
                RegularizedPoint? next = null;
                double roundoff = 64 * MachineEpsilon * (Math.Abs(current.Loss) + lambda * Math.Abs(current.Regularizer));
                for (int halving = 0; halving <= options.MaxHalvings; halving++)
                {
                    var trial = new double[theta.Length];
                    for (int i = 0; i < trial.Length; i++) trial[i] = theta[i] - step * gradient[i];
                    if (Array.TrueForAll(trial, double.IsFinite))
                    {
                        var evaluated = Evaluate(trial);
                        if (evaluated.IsFinite && IsFinite(evaluated))
                        {
                            double decrease = current.RegularizedLoss - evaluated.RegularizedLoss;
                            bool armijo = decrease >= options.SufficientDecrease * step * gradientNorm * gradientNorm;
                            bool flatButBetter = decrease >= -roundoff && Norm(evaluated.RegularizedGradient!) < gradientNorm;
                            if (armijo || flatButBetter) { accepted = trial; next = evaluated; break; }
                        }
                    }
                    step /= 2;
                }
                if (accepted is null || next is null)
                    return NotFound(atPoint, distance, gradientNorm / lambda, pathLength, k - 1, StationarityStop.LineSearchFailed,
                        $"line search failed at step {k}: no step down to {step:G3} decreased L~ (||grad F|| = {gradientNorm / lambda:G6})");

                pathLength += step * gradientNorm;
                theta = accepted;
                current = next;
                gradientNorm = Norm(current.RegularizedGradient!);
                distance = Distance(start, theta);
                double normF = gradientNorm / lambda;
                if (normF <= epsilon) return Found(theta, distance, normF, pathLength, k);
                if (options.MaxDistance is double limit && distance > limit)
                    return NotFound(atPoint, distance, normF, pathLength, k, StationarityStop.DistanceBudgetExceeded,
                        $"left the distance budget {limit:G6} at step {k} (distance {distance:G6}, ||grad F|| = {normF:G6})");
                step = Math.Min(2 * step, maxStep);
            }
            return NotFound(atPoint, distance, gradientNorm / lambda, pathLength, options.MaxSteps, StationarityStop.StepBudgetExhausted,
                $"no witness within {options.MaxSteps} steps (||grad F|| = {gradientNorm / lambda:G6} > epsilon = {epsilon:G6})");

            StationarityResult Found(double[] witness, double witnessDistance, double witnessNorm, double path, int steps) =>
                new(epsilon, lambda, atPoint, true, witnessDistance, witnessNorm, Array.AsReadOnly((double[])witness.Clone()),
                    witnessDistance, witnessNorm, path, steps, evaluations, StationarityStop.WitnessFound,
                    steps == 0
                        ? $"the point itself is epsilon-stationary (||grad F|| = {witnessNorm:G6} <= {epsilon:G6})"
                        : $"witness after {steps} steps at distance {witnessDistance:G6} (||grad F|| = {witnessNorm:G6} <= {epsilon:G6})");

            StationarityResult NotFound(double gradientAtPoint, double finalDistance, double finalNorm, double path, int steps, StationarityStop stop, string reason) =>
                new(epsilon, lambda, gradientAtPoint, false, double.PositiveInfinity, double.NaN, null,
                    finalDistance, finalNorm, path, steps, evaluations, stop, reason);
        }
        finally
        {
            objective.SetParameters(original);
        }
    }

    static void CheckLoss(RegularizedLoss loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (!(loss.Lambda > 0))
            throw new ArgumentException($"F = L~/lambda needs lambda > 0, but lambda = {loss.Lambda}", nameof(loss));
    }

    static void CheckPoint(RegularizedLoss loss, ReadOnlySpan<double> point)
    {
        if (point.Length != loss.Objective.Dimension)
            throw new ArgumentException($"the point has {point.Length} entries but the objective has {loss.Objective.Dimension} parameters", nameof(point));
        for (int i = 0; i < point.Length; i++)
            if (!double.IsFinite(point[i])) throw new ArgumentException($"point entry {i} is {point[i]}", nameof(point));
    }

    static bool IsFinite(RegularizedPoint point) =>
        double.IsFinite(point.RegularizedLoss) && point.RegularizedGradient is { } g && Array.TrueForAll(g, double.IsFinite);

    static double Norm(double[] v)
    {
        double sum = 0;
        foreach (double x in v) sum += x * x;
        return Math.Sqrt(sum);
    }

    static double Distance(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) { double d = a[i] - b[i]; sum += d * d; }
        return Math.Sqrt(sum);
    }
}
