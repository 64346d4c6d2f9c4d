using LabelNoise.Curvature;
using LabelNoise.Randomness;

namespace LabelNoise.Tests.Curvature;

public class SymmetricEigenTests
{
    [Fact]
    public void TwoByTwoClosedForm()
    {
        var result = SymmetricEigen.Decompose(new double[,] { { 2, 1 }, { 1, 2 } });
        Assert.Equal(1, result.Values[0], 1e-15);
        Assert.Equal(3, result.Values[1], 1e-15);
        // Eigenvector of 3 is (1, 1)/√2 up to sign.
        Assert.Equal(1 / Math.Sqrt(2), Math.Abs(result.Vectors[1][0]), 1e-15);
        Assert.Equal(result.Vectors[1][0], result.Vectors[1][1], 1e-15);
    }

    [Fact]
    public void DiagonalInputNeedsNoSweeps()
    {
        var result = SymmetricEigen.Decompose(MatrixOperator.Diagonal(3, -1, 2));
        Assert.Equal([-1, 2, 3], result.Values);
        Assert.Equal(0, result.Sweeps);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void RecoversKnownSpectrumWithNegativeAndRepeatedEigenvalues(ulong seed)
    {
        double[] spectrum = [-4, -4, -1.5, 0, 0, 0, 0.25, 3, 3, 3, 10];
        var op = MatrixOperator.FromSpectrum(spectrum, new RandomStream(seed));
        var a = op.ToArray();
        var result = SymmetricEigen.Decompose(a);
        for (int k = 0; k < spectrum.Length; k++)
            Assert.Equal(spectrum[k], result.Values[k], 1e-12);
        for (int k = 0; k < spectrum.Length; k++)
        {
            var v = result.Vectors[k];
            var av = op.Apply(v);
            for (int i = 0; i < v.Length; i++) Assert.Equal(result.Values[k] * v[i], av[i], 1e-12);
            for (int j = 0; j < spectrum.Length; j++)
                Assert.Equal(k == j ? 1 : 0, Dense.Dot(v, result.Vectors[j]), 1e-13);
        }
        Assert.Equal(a, op.ToArray()); // input untouched
    }

    [Fact]
    public void LargerRandomMatrixMatchesItsSpectrum()
    {
        var gen = new RandomStream(11);
        var spectrum = Enumerable.Range(0, 80).Select(_ => 10 * gen.NextGaussian()).OrderBy(x => x).ToArray();
        var result = SymmetricEigen.Decompose(MatrixOperator.FromSpectrum(spectrum, gen));
        for (int k = 0; k < spectrum.Length; k++) Assert.Equal(spectrum[k], result.Values[k], 1e-11);
        Assert.InRange(result.Sweeps, 1, 20);
        Assert.Equal(spectrum.Length, SymmetricEigen.Eigenvalues(MatrixOperator.FromSpectrum(spectrum, gen).ToArray()).Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(40)]
    public void TridiagonalToeplitzClosedForm(int m)
    {
        // T = tridiag(−1, 2, −1): λ_k = 2 − 2cos(kπ/(m+1)), eigenvector entries √(2/(m+1))·sin(jkπ/(m+1)).
        var diagonal = Enumerable.Repeat(2.0, m).ToArray();
        var off = Enumerable.Repeat(-1.0, m - 1).ToArray();
        var result = SymmetricEigen.Tridiagonal(diagonal, off, computeVectors: true);
        double scale = Math.Sqrt(2.0 / (m + 1));
        for (int k = 1; k <= m; k++)
        {
            double angle = k * Math.PI / (m + 1);
            Assert.Equal(2 - 2 * Math.Cos(angle), result.Values[k - 1], 1e-13);
            double first = scale * Math.Sin(angle), last = scale * Math.Sin(m * angle);
            Assert.Equal(first * first, result.FirstComponents[k - 1] * result.FirstComponents[k - 1], 1e-13);
            Assert.Equal(last * last, result.LastComponents[k - 1] * result.LastComponents[k - 1], 1e-13);
            var vector = result.Vectors![k - 1];
            Assert.Equal(result.FirstComponents[k - 1], vector[0]);
            double sign = Math.Sign(vector[0]); // sin(angle) > 0: the expected first entry is positive
            for (int j = 1; j <= m; j++) Assert.Equal(scale * Math.Sin(j * angle), sign * vector[j - 1], 1e-12);
        }
        Assert.Equal(1.0, result.FirstComponents.Sum(x => x * x), 1e-13);
    }

    [Fact]
    public void TridiagonalWithoutVectorsAgreesWithJacobi()
    {
        var gen = new RandomStream(5);
        int m = 30;
        var diagonal = Enumerable.Range(0, m).Select(_ => gen.NextGaussian()).ToArray();
        var off = Enumerable.Range(0, m - 1).Select(_ => gen.NextGaussian()).ToArray();
        off[10] = 0; // a split into two blocks
        var dense = new double[m, m];
        for (int i = 0; i < m; i++) dense[i, i] = diagonal[i];
        for (int i = 0; i < m - 1; i++) dense[i, i + 1] = dense[i + 1, i] = off[i];
        var jacobi = SymmetricEigen.Decompose(dense);
        var ql = SymmetricEigen.Tridiagonal(diagonal, off);
        Assert.Null(ql.Vectors);
        for (int k = 0; k < m; k++)
        {
            Assert.Equal(jacobi.Values[k], ql.Values[k], 1e-12);
            Assert.Equal(jacobi.Vectors[k][0] * jacobi.Vectors[k][0], ql.FirstComponents[k] * ql.FirstComponents[k], 1e-10);
            Assert.Equal(jacobi.Vectors[k][m - 1] * jacobi.Vectors[k][m - 1], ql.LastComponents[k] * ql.LastComponents[k], 1e-10);
        }
    }

    [Fact]
    public void InvalidInputsThrow()
    {
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Tridiagonal([1.0, 2], [1.0, 2]));
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Tridiagonal([], []));
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Tridiagonal([double.NaN], []));
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[,] { { 1, 0 }, { 5, 1 } }));
    }
}
