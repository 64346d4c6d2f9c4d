using LabelNoise.Curvature;
using LabelNoise.Randomness;

namespace LabelNoise.Tests.Curvature;

public class MatrixOperatorTests
{
    [Fact]
    public void ApplyIsMatrixVectorProductAndLeavesInputUnchanged()
    {
        var op = new MatrixOperator(new double[,] { { 2, -1, 0 }, { -1, 3, 4 }, { 0, 4, -5 } });
        double[] v = [1, 2, -3];
        var result = op.Apply(v);
        Assert.Equal([0, -7, 23], result);
        Assert.Equal([1, 2, -3], v);
        Assert.Equal(3, op.Dimension);
        Assert.Equal(4, op[1, 2]);
    }

    [Fact]
    public void DiagonalAppliesEntrywise()
    {
        var op = MatrixOperator.Diagonal(1, -2, 0.5);
        Assert.Equal([3, -8, 1.5], op.Apply([3, 4, 3]));
        Assert.Equal(0, op[0, 1]);
    }

    [Fact]
    public void FromRowMajorMatchesTwoDimensionalConstructor()
    {
        var a = MatrixOperator.FromRowMajor(2, [1, 2, 2, 5]);
        var b = new MatrixOperator(new double[,] { { 1, 2 }, { 2, 5 } });
        Assert.Equal(b.ToArray(), a.ToArray());
    }

    [Fact]
    public void RandomOrthogonalIsOrthogonalAndSeeded()
    {
        var q = MatrixOperator.RandomOrthogonal(25, new RandomStream(7));
        var qtq = Dense.Multiply(Dense.Transpose(q), q);
        for (int i = 0; i < 25; i++) qtq[i, i] -= 1;
        Assert.True(Dense.MaxAbs(qtq) < 1e-13, $"QᵀQ − I = {Dense.MaxAbs(qtq)}");
        Assert.Equal(q, MatrixOperator.RandomOrthogonal(25, new RandomStream(7)));
        Assert.NotEqual(q, MatrixOperator.RandomOrthogonal(25, new RandomStream(8)));
    }

    [Fact]
    public void FromSpectrumHasTheGivenTraceAndFrobeniusNorm()
    {
        double[] spectrum = [-3, -1, 0, 0, 2, 2, 2, 7];
        var op = MatrixOperator.FromSpectrum(spectrum, new RandomStream(3));
        var a = op.ToArray();
        double trace = 0, squares = 0;
        for (int i = 0; i < 8; i++)
        {
            trace += a[i, i];
            for (int j = 0; j < 8; j++)
            {
                squares += a[i, j] * a[i, j];
                Assert.Equal(a[i, j], a[j, i]); // exactly symmetric
            }
        }
        Assert.Equal(spectrum.Sum(), trace, 1e-12);
        Assert.Equal(spectrum.Sum(x => x * x), squares, 1e-11);
        Assert.False(Dense.MaxAbsDifference(a, MatrixOperator.Diagonal(spectrum).ToArray()) < 1e-3); // genuinely rotated
    }

    [Fact]
    public void InvalidInputsThrowWithTheParameterName()
    {
        Assert.Equal("matrix", Assert.Throws<ArgumentException>(() => new MatrixOperator(new double[2, 3])).ParamName);
        var asymmetric = Assert.Throws<ArgumentException>(() => new MatrixOperator(new double[,] { { 1, 2 }, { 3, 1 } }));
        Assert.Contains("not symmetric", asymmetric.Message);
        Assert.Throws<ArgumentException>(() => new MatrixOperator(new double[,] { { double.NaN } }));
        Assert.Throws<ArgumentException>(() => MatrixOperator.FromRowMajor(2, [1, 2, 3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MatrixOperator.FromRowMajor(0, []));
        Assert.Throws<ArgumentException>(() => MatrixOperator.Diagonal());
        Assert.Throws<ArgumentException>(() => MatrixOperator.FromEigenDecomposition([1, 2], new double[,] { { 1, 1 }, { 0, 1 } }));

        var op = MatrixOperator.Diagonal(1, 2);
        Assert.Equal("v", Assert.Throws<ArgumentException>(() => op.Apply([1.0, 2, 3])).ParamName);
        Assert.Throws<ArgumentException>(() => op.Apply(new double[2], new double[3]));
        var buffer = new double[2];
        Assert.Throws<ArgumentException>(() => op.Apply(buffer, buffer));
        Assert.Throws<ArgumentOutOfRangeException>(() => op[2, 0]);
    }
}
