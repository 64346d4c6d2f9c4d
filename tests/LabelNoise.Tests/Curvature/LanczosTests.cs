using LabelNoise.Curvature;
using LabelNoise.Randomness;

namespace LabelNoise.Tests.Curvature;

public class LanczosTests
{
    [Fact]
    public void FullRunFindsEachDistinctEigenvalueOnce()
    {
        double[] spectrum = [-3, -3, -1, 0, 0, 0, 2, 2, 5, 7.5];
        double[] distinct = [-3, -1, 0, 2, 5, 7.5];
        var op = new CountingOperator(MatrixOperator.FromSpectrum(spectrum, new RandomStream(1)));
        var result = Lanczos.Run(op, new RandomStream(2), steps: spectrum.Length);
        Assert.True(result.InvariantSubspaceFound);
        Assert.Equal(Lanczos.InvariantSubspace, result.StopReason);
        Assert.Equal(distinct.Length, result.Steps);
        Assert.Equal(result.Steps, result.Products);
        Assert.Equal(result.Products, op.Products);
        for (int k = 0; k < distinct.Length; k++) Assert.Equal(distinct[k], result.RitzValues[k], 1e-10);
        Assert.Equal(1.0, result.RitzWeights.Sum(), 1e-13);
        Assert.All(result.RitzResiduals, r => Assert.True(r < 1e-8));
    }

    [Fact]
    public void FullRunOnDistinctSpectrumEqualsEigvalsh()
    {
        double[] spectrum = [-6, -2.5, -1, -0.1, 0.3, 1, 2, 4, 4.5, 9, 12, 20];
        var op = MatrixOperator.FromSpectrum(spectrum, new RandomStream(3));
        var result = Lanczos.Run(op, new RandomStream(4), steps: 12, computeRitzVectors: true);
        Assert.Equal(12, result.Steps);
        Assert.Equal(11, result.Betas.Length);
        var eigvalsh = SymmetricEigen.Eigenvalues(op.ToArray());
        for (int k = 0; k < 12; k++)
        {
            Assert.Equal(spectrum[k], result.RitzValues[k], 1e-10);
            Assert.Equal(eigvalsh[k], result.RitzValues[k], 1e-10);
            var y = result.RitzVectors![k];
            Assert.Equal(1.0, Dense.Dot(y, y), 1e-12);
            var ay = op.Apply(y);
            for (int i = 0; i < 12; i++) Assert.Equal(result.RitzValues[k] * y[i], ay[i], 1e-9);
        }
    }

    [Fact]
    public void TopEigenvalueOfAMatrixWithAGapConverges()
    {
        var gen = new RandomStream(5);
        int n = 300;
        var spectrum = new double[n];
        for (int i = 0; i < n - 3; i++) spectrum[i] = gen.NextDouble(); // bulk in [0, 1)
        spectrum[n - 3] = 8; spectrum[n - 2] = 9; spectrum[n - 1] = 10;
        var op = MatrixOperator.FromSpectrum(spectrum, gen);

        var top = Lanczos.TopEigenvalues(op, 3, steps: 30, new RandomStream(6), computeVectors: true);
        Assert.Equal(Lanczos.StepsCompleted, top.StopReason);
        Assert.Equal(30, top.Products);
        Assert.Equal(10, top.Values[0], 1e-9);
        Assert.Equal(9, top.Values[1], 1e-9);
        Assert.Equal(8, top.Values[2], 1e-9);
        Assert.All(top.ResidualBounds, r => Assert.True(r < 1e-6, $"residual {r}"));
        var y = top.Vectors![0];
        var ay = op.Apply(y);
        double residual = Math.Sqrt(Enumerable.Range(0, n).Sum(i => Math.Pow(ay[i] - top.Values[0] * y[i], 2)));
        Assert.True(residual <= top.ResidualBounds[0] * 1.01 + 1e-12);

        // Ritz values never leave the spectrum's hull and improve monotonically with more steps.
        double previous = double.NegativeInfinity;
        foreach (int steps in new[] { 2, 5, 10, 20 })
        {
            double value = Lanczos.LargestEigenvalue(op, steps, new RandomStream(6)).Values[0];
            Assert.True(value <= 10 + 1e-12 && value >= previous - 1e-12);
            previous = value;
        }
    }

    [Fact]
    public void SmallestEigenvalueOfAMatrixWithAGapConverges()
    {
        var gen = new RandomStream(8);
        var spectrum = Enumerable.Range(0, 150).Select(_ => 1 + gen.NextDouble()).ToArray();
        spectrum[17] = -5;
        var op = MatrixOperator.FromSpectrum(spectrum, gen);
        var smallest = Lanczos.SmallestEigenvalue(op, 25, new RandomStream(9));
        Assert.Single(smallest.Values);
        Assert.Equal(-5, smallest.Values[0], 1e-9);
        Assert.Null(smallest.Vectors);
    }

    [Fact]
    public void EigenvectorStartBreaksDownAfterOneStep()
    {
        var op = MatrixOperator.Diagonal(1, 4, 9);
        var result = Lanczos.Run(op, [0.0, 3, 0], steps: 3);
        Assert.Equal(1, result.Steps);
        Assert.True(result.InvariantSubspaceFound);
        Assert.Equal(4, result.RitzValues[0]);
        Assert.Equal(3, result.StartNorm);
        Assert.Empty(result.Betas);
    }

    [Fact]
    public void StepsBeyondDimensionAreCapped()
    {
        var op = MatrixOperator.FromSpectrum([1, 2, 3], new RandomStream(1));
        var result = Lanczos.Run(op, new RandomStream(2), steps: 10);
        Assert.Equal(3, result.Steps);
        Assert.Equal([1, 2, 3], result.RitzValues.Select(x => Math.Round(x, 10)));
    }

    [Fact]
    public void TridiagonalMatchesProjection()
    {
        // Without breakdown T's entries are the projections: α_0 = vᵀAv/‖v‖², Σα = tr T.
        var op = MatrixOperator.FromSpectrum([1, -2, 3, 5, 8, 13], new RandomStream(4));
        double[] start = [1, -1, 1, 1, -1, 1];
        var copy = start.ToArray();
        var result = Lanczos.Run(op, start, steps: 4);
        Assert.Equal(copy, start);
        Assert.Equal(Dense.Dot(start, op.Apply(start)) / 6, result.Alphas[0], 1e-13);
        Assert.Equal(result.Alphas.Sum(), result.RitzValues.Sum(), 1e-12);
        Assert.True(result.ResidualNorm > 0);
    }

    [Fact]
    public void InvalidInputsThrow()
    {
        var op = MatrixOperator.Diagonal(1, 2);
        Assert.Throws<ArgumentException>(() => Lanczos.Run(op, [0.0, 0], 2));
        Assert.Throws<ArgumentException>(() => Lanczos.Run(op, [1.0, 0, 0], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Lanczos.Run(op, [1.0, 1], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Lanczos.TopEigenvalues(op, 0, 2, new RandomStream(1)));
    }
}
