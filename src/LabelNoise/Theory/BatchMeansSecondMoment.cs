namespace LabelNoise.Theory;

/// <summary>
/// The uncentred second moment (1/N) Σ δδᵀ of a chain, kept as batch means so that standard errors of any
/// linear functional (an entry, the trace, ⟨·, H⟩) follow from the spread of its batch values.
/// </summary>
public sealed class BatchMeansSecondMoment(int dimension, int batches, int samplesPerBatch)
{
    readonly double[][] batchSums = Enumerable.Range(0, batches).Select(_ => new double[dimension * dimension]).ToArray();
    int count;

    public int Capacity => batches * samplesPerBatch;
    public int Samples => count;

    public void Add(ReadOnlySpan<double> deviation)
    {
        if (count >= Capacity) throw new InvalidOperationException("all batches are full");
        var sums = batchSums[count / samplesPerBatch];
        for (int i = 0; i < dimension; i++)
            for (int j = 0; j < dimension; j++) sums[i * dimension + j] += deviation[i] * deviation[j];
        count++;
    }

    double[,] BatchMean(int b)
    {
        var m = new double[dimension, dimension];
        for (int i = 0; i < dimension; i++)
            for (int j = 0; j < dimension; j++) m[i, j] = batchSums[b][i * dimension + j] / samplesPerBatch;
        return m;
    }

    void CheckFull()
    {
        if (count != Capacity) throw new InvalidOperationException($"{count} of {Capacity} samples collected");
    }

    public double[,] Mean()
    {
        CheckFull();
        var mean = new double[dimension, dimension];
        for (int b = 0; b < batches; b++)
        {
            var m = BatchMean(b);
            for (int i = 0; i < dimension; i++)
                for (int j = 0; j < dimension; j++) mean[i, j] += m[i, j] / batches;
        }
        return mean;
    }

    public double[,] StandardErrors()
    {
        var mean = Mean();
        var squares = new double[dimension, dimension];
        for (int b = 0; b < batches; b++)
        {
            var m = BatchMean(b);
            for (int i = 0; i < dimension; i++)
                for (int j = 0; j < dimension; j++) squares[i, j] += (m[i, j] - mean[i, j]) * (m[i, j] - mean[i, j]);
        }
        for (int i = 0; i < dimension; i++)
            for (int j = 0; j < dimension; j++) squares[i, j] = Math.Sqrt(squares[i, j] / (batches - 1) / batches);
        return squares;
    }

    /// <summary>The estimate and batch-means standard error of a linear functional of the second moment.</summary>
    public (double Mean, double StandardError) Functional(Func<double[,], double> functional)
    {
        CheckFull();
        var values = Enumerable.Range(0, batches).Select(b => functional(BatchMean(b))).ToArray();
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (batches - 1);
        return (mean, Math.Sqrt(variance / batches));
    }
}
