using LabelNoise.Curvature;
using LabelNoise.Objectives;
using LabelNoise.Randomness;

namespace LabelNoise.Tests.Curvature;

public class BlockTraceTests
{
    static readonly ParameterBlock[] ThreeBlocks = [new("a", 0, 2), new("b", 2, 3), new("c", 5, 1)];

    /// <summary>A dense block-diagonal matrix whose blocks have the given spectra (random rotations within each block).</summary>
    static MatrixOperator BlockDiagonal(double[][] spectra, RandomStream generator)
    {
        int n = spectra.Sum(s => s.Length);
        var m = new double[n, n];
        int offset = 0;
        foreach (var spectrum in spectra)
        {
            var block = MatrixOperator.FromSpectrum(spectrum, generator);
            for (int i = 0; i < spectrum.Length; i++)
                for (int j = 0; j < spectrum.Length; j++) m[offset + i, offset + j] = block[i, j];
            offset += spectrum.Length;
        }
        return new MatrixOperator(m);
    }

    [Fact]
    public void ExactForDiagonalMatrices()
    {
        var op = new CountingOperator(MatrixOperator.Diagonal(3, -1.5, 0, 2, 7.25, 4));
        var estimate = BlockTrace.Estimate(op, ThreeBlocks, new RandomStream(1), 7);
        Assert.Equal([1.5, 9.25, 4], estimate.Blocks.Select(b => b.Estimate));
        Assert.All(estimate.Blocks, b => Assert.Equal(0, b.StandardError));
        Assert.All(estimate.Blocks, b => Assert.Equal(7, b.Samples.Count));
        Assert.Equal(14.75, estimate.Full.Estimate);
        Assert.Equal(7, estimate.Probes);
        Assert.Equal(7, estimate.Products);
        Assert.Equal(7, op.Products); // one product per probe serves all blocks
        Assert.Equal(EstimateStop.BudgetSpent, estimate.Stop);
        Assert.Equal(9.25, estimate["b"].Estimate);
    }

    [Fact]
    public void BlockDiagonalTracesWithinFiveStandardErrors()
    {
        double[][] spectra = [[1, -2, 4], [0.5, 3, 3, -1], [2, 5]];
        var op = new CountingOperator(BlockDiagonal(spectra, new RandomStream(2)));
        ParameterBlock[] blocks = [new("first", 0, 3), new("second", 3, 4), new("third", 7, 2)];
        var estimate = BlockTrace.Estimate(op, blocks, new RandomStream(3), 400);
        Assert.Equal(400, op.Products);
        for (int b = 0; b < 3; b++)
        {
            var entry = estimate.Blocks[b];
            Assert.Equal(blocks[b].Name, entry.Name);
            Assert.True(entry.StandardError > 0, $"block {entry.Name}: dense blocks have variance");
            Assert.True(Math.Abs(entry.Estimate - spectra[b].Sum()) <= 5 * entry.StandardError,
                $"block {entry.Name}: {entry.Estimate} vs {spectra[b].Sum()} (SE {entry.StandardError})");
        }
    }

    [Fact]
    public void BlocksSumToFullEstimateProbeByProbe()
    {
        // A dense matrix with couplings between blocks, blocks given out of order.
        var op = MatrixOperator.FromSpectrum([1, 2, -3, 4, 5, 0.25], new RandomStream(4));
        ParameterBlock[] blocks = [new("c", 5, 1), new("a", 0, 2), new("b", 2, 3)];
        var estimate = BlockTrace.Estimate(op, blocks, new RandomStream(5), 50);
        for (int p = 0; p < 50; p++)
            Assert.Equal(estimate.Full.Samples[p], estimate.Blocks.Sum(b => b.Samples[p]), 1e-10);
        Assert.Equal(estimate.Full.Estimate, estimate.Blocks.Sum(b => b.Estimate), 1e-10);
        // Unbiased per block even with couplings: the full matrix's diagonal blocks.
        for (int b = 0; b < 3; b++)
        {
            var block = blocks[b];
            double exact = Enumerable.Range(block.Offset, block.Length).Sum(i => op[i, i]);
            Assert.True(Math.Abs(estimate.Blocks[b].Estimate - exact) <= 5 * estimate.Blocks[b].StandardError + 1e-12,
                $"{block.Name}: {estimate.Blocks[b].Estimate} vs {exact}");
        }
    }

    [Fact]
    public void FullEstimateIsExactlyHutchinsonWithTheSameSeed()
    {
        var op = MatrixOperator.FromSpectrum([1, 2, -3, 4, 5, 0.25], new RandomStream(6));
        var hutchinson = HutchinsonTrace.Estimate(op, new RandomStream(7), 20);
        var blocks = BlockTrace.Estimate(op, ThreeBlocks, new RandomStream(7), 20);
        Assert.Equal(hutchinson.Samples, blocks.Full.Samples);
        Assert.Equal(hutchinson.Estimate, blocks.Full.Estimate);
        Assert.Equal(hutchinson.StandardError, blocks.Full.StandardError);
    }

    [Fact]
    public void AdaptiveStoppingUsesTheFullTrace()
    {
        // The full trace is exact (diagonal) but one block has zero trace: it must not prevent stopping.
        var op = MatrixOperator.Diagonal(1, -1, 2, 3, 4, 5);
        var estimate = BlockTrace.Estimate(op, ThreeBlocks, new RandomStream(8), ProbeOptions.UntilRelativeStandardError(0.01, minProbes: 4));
        Assert.Equal(4, estimate.Probes);
        Assert.Equal(EstimateStop.TargetReached, estimate.Stop);
        Assert.Equal(0, estimate["a"].Estimate);

        var dense = MatrixOperator.FromSpectrum([1, 2, 3, 4, 5, 6], new RandomStream(9));
        var adaptive = BlockTrace.Estimate(dense, ThreeBlocks, new RandomStream(10), ProbeOptions.UntilRelativeStandardError(0.02, minProbes: 10, maxProbes: 5000));
        Assert.Equal(EstimateStop.TargetReached, adaptive.Stop);
        Assert.True(adaptive.Full.StandardError <= 0.02 * Math.Abs(adaptive.Full.Estimate));
        Assert.All(adaptive.Blocks, b => Assert.Equal(adaptive.Probes, b.Samples.Count));
    }

    [Fact]
    public void WorksWithAnObjectivesBlocks()
    {
        // The quadratic model's u and v blocks (its Hessian G + E is dense: G couples u and v).
        var model = new LabelNoise.Models.QuadraticModel(3);
        var data = LabelNoise.Tests.TestSupport.TestData.Regression(4, 3, 11);
        using var objective = new HandObjective(model, data, [1, 0.5, -1, 0.2, 0.3, 2]);
        var hessian = objective.HessianMatrix();
        var estimate = BlockTrace.Estimate(objective.Hessian(), objective.Blocks, new RandomStream(12), 400);
        Assert.Equal(["u", "v"], estimate.Blocks.Select(b => b.Name));
        double u = hessian[0, 0] + hessian[1, 1] + hessian[2, 2], v = hessian[3, 3] + hessian[4, 4] + hessian[5, 5];
        Assert.True(Math.Abs(estimate["u"].Estimate - u) <= 5 * estimate["u"].StandardError, $"u: {estimate["u"].Estimate} vs {u}");
        Assert.True(Math.Abs(estimate["v"].Estimate - v) <= 5 * estimate["v"].StandardError, $"v: {estimate["v"].Estimate} vs {v}");
    }

    [Fact]
    public void RejectsBlocksThatDoNotCoverTheVector()
    {
        var op = MatrixOperator.Diagonal(1, 2, 3, 4, 5, 6);
        var gap = Assert.Throws<ArgumentException>(() => BlockTrace.Estimate(op, [new("a", 0, 2), new("b", 3, 3)], new RandomStream(1), 2));
        Assert.Contains("[2, 3)", gap.Message);
        var overlap = Assert.Throws<ArgumentException>(() => BlockTrace.Estimate(op, [new("a", 0, 3), new("b", 2, 4)], new RandomStream(1), 2));
        Assert.Contains("'b'", overlap.Message);
        var outside = Assert.Throws<ArgumentException>(() => BlockTrace.Estimate(op, [new("a", 0, 7)], new RandomStream(1), 2));
        Assert.Contains("[0, 7)", outside.Message);
        var tooShort = Assert.Throws<ArgumentException>(() => BlockTrace.Estimate(op, [new("a", 0, 5)], new RandomStream(1), 2));
        Assert.Contains("[5, 6)", tooShort.Message);
        var empty = Assert.Throws<ArgumentException>(() => BlockTrace.Estimate(op, [new("a", 0, 6), new("z", 6, 0)], new RandomStream(1), 2));
        Assert.Contains("length 0", empty.Message);
        Assert.Throws<ArgumentException>(() => BlockTrace.Estimate(op, Array.Empty<ParameterBlock>(), new RandomStream(1), 2));
    }
}
