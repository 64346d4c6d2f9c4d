using LabelNoise.Curvature;
using LabelNoise.Randomness;

namespace LabelNoise.Tests.Curvature;

public class XTraceTests
{
    /// <summary>Orthonormal basis of the given columns by Gram–Schmidt (twice), as dense column arrays.</summary>
    static List<double[]> Orthonormal(IEnumerable<double[]> columns)
    {
        var basis = new List<double[]>();
        foreach (var column in columns)
        {
            var v = (double[])column.Clone();
            for (int pass = 0; pass < 2; pass++)
                foreach (var q in basis)
                {
                    double c = Dense.Dot(q, v);
                    for (int i = 0; i < v.Length; i++) v[i] -= c * q[i];
                }
            double norm = Math.Sqrt(Dense.Dot(v, v));
            basis.Add(v.Select(x => x / norm).ToArray());
        }
        return basis;
    }

    static double[] Project(List<double[]> basis, double[] v)
    {
        var result = (double[])v.Clone();
        foreach (var q in basis)
        {
            double c = Dense.Dot(q, v);
            for (int i = 0; i < v.Length; i++) result[i] -= c * q[i];
        }
        return result;
    }

    /// <summary>Algorithm 1.2 of Epperly, Tropp, Webber written out: for each i, Q_i = orth(AW without column i) formed explicitly.</summary>
    static (double Mean, double StandardError) Naive(MatrixOperator a, double[][] w)
    {
        int m = w.Length;
        var y = w.Select(v => a.Apply(v)).ToArray();
        var estimates = new double[m];
        for (int i = 0; i < m; i++)
        {
            var qi = Orthonormal(y.Where((_, k) => k != i));
            double lowRank = qi.Sum(q => Dense.Dot(q, a.Apply(q)));
            var pw = Project(qi, w[i]);
            estimates[i] = lowRank + Dense.Dot(pw, Project(qi, a.Apply(pw)));
        }
        return Vectors.MeanAndStandardError(estimates);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(9)]
    public void EqualsTheAlgorithmWrittenOutWithExplicitBases(int m)
    {
        var values = Enumerable.Range(0, 25).Select(i => i < 3 ? 20.0 - 5 * i : -1 + 0.1 * i).ToArray();
        var a = MatrixOperator.FromSpectrum(values, new RandomStream(5));
        var result = XTrace.Estimate(a, new RandomStream(6), EstimationBudget.Products(2 * m, minSamples: m));
        // The same test vectors as XTrace draws: Rademacher, one generator, in order.
        var generator = new RandomStream(6);
        var w = new double[m][];
        for (int i = 0; i < m; i++)
        {
            w[i] = new double[a.Dimension];
            Vectors.FillRademacher(w[i], generator);
        }
        var (mean, standardError) = Naive(a, w);
        Assert.Equal(2 * m, result.Products);
        Assert.True(Math.Abs(mean - result.Estimate) <= 1e-9 * Math.Abs(mean), $"{result.Estimate} vs {mean}");
        Assert.True(Math.Abs(standardError - result.StandardError) <= 1e-7 * standardError, $"{result.StandardError} vs {standardError}");
        Assert.NotEqual(values.Sum(), result.Estimate); // an estimate, not the trace (the test would not tell otherwise)
    }

    [Fact]
    public void IsExactForAMatrixOfLowRank()
    {
        // Rank 3 < m test vectors: the sketch captures the range and every leave-one-out basis still spans it.
        var values = new double[30];
        values[0] = 7; values[1] = -2; values[2] = 0.5;
        var a = MatrixOperator.FromSpectrum(values, new RandomStream(8));
        var result = XTrace.Estimate(a, new RandomStream(9), EstimationBudget.UntilRelativeStandardError(0.01, 200));
        Assert.True(Math.Abs(result.Estimate - 5.5) <= 1e-9, $"{result.Estimate}");
    }
}
