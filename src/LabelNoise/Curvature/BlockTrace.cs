using LabelNoise.Randomness;

namespace LabelNoise.Curvature;

/// <summary>
/// The Hutchinson estimate of one diagonal block tr(A_bb) of a partitioned operator.
/// </summary>
/// <param name="Name">The block's name (a layer's parameter, the u or v of the quadratic model).</param>
/// <param name="Offset">First index of the block in the flat vector.</param>
/// <param name="Length">Number of entries in the block.</param>
/// <param name="Estimate">Mean over probes of z_bᵀ(Az)_b.</param>
/// <param name="StandardError">Sample standard deviation of those samples / √probes (NaN for one probe).</param>
/// <param name="Samples">The per-probe samples z_bᵀ(Az)_b, in probe order.</param>
public sealed record BlockTraceEntry(
    string Name,
    int Offset,
    int Length,
    double Estimate,
    double StandardError,
    IReadOnlyList<double> Samples);

/// <summary>
/// Per-block traces from one Hutchinson run: <see cref="Full"/> is exactly what
/// <see cref="HutchinsonTrace.Estimate(ILinearOperator, RandomStream, ProbeOptions)"/> returns for the same
/// generator state, and <see cref="Blocks"/> (in the order given) split every probe's sample zᵀAz into
/// the block terms z_bᵀ(Az)_b, which add up to it (up to roundoff in the summation order).
/// </summary>
/// <param name="Full">The full trace estimate (probes, products and stop reason are those of the whole run).</param>
/// <param name="Blocks">One entry per block, in the order the blocks were given.</param>
public sealed record BlockTraceEstimate(HutchinsonEstimate Full, IReadOnlyList<BlockTraceEntry> Blocks)
{
    /// <summary>Probes used (the same for every block).</summary>
    public int Probes => Full.Probes;

    /// <summary>Operator applications: one per probe, shared by all blocks.</summary>
    public int Products => Full.Products;

    /// <summary>Why the run stopped (decided on the full trace alone).</summary>
    public EstimateStop Stop => Full.Stop;

    /// <summary>The entry named <paramref name="name"/> (the first, if names repeat).</summary>
    public BlockTraceEntry this[string name] =>
        Blocks.FirstOrDefault(b => b.Name == name) ?? throw new KeyNotFoundException($"no block is named '{name}'");
}

/// <summary>
/// Per-parameter-block (per-layer) traces tr(A_bb) from the same Rademacher probes as the full
/// Hutchinson trace. For a Rademacher probe z, (Az)_b = Σ_c A_bc z_c and E[z_bᵀA_bc z_c] = 0 for c ≠ b,
/// so E[z_bᵀ(Az)_b] = tr(A_bb): one product per probe serves every block, and the block samples sum to
/// the full sample zᵀAz probe by probe. Each block sample is exact (zero variance) when A_bb is diagonal
/// and A has no off-diagonal entries touching block b. The probes are drawn exactly as
/// <see cref="HutchinsonTrace"/> draws them (Dimension signs per probe, in index order), and the stopping
/// rule of <see cref="ProbeOptions"/> is applied to the full trace.
/// </summary>
public static class BlockTrace
{
    public static BlockTraceEstimate Estimate(ILinearOperator op, IReadOnlyList<ParameterBlock> blocks, RandomStream generator, ProbeOptions options)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(options);
        CheckBlocks(blocks, op.Dimension);

        int n = op.Dimension;
        var z = new double[n];
        var az = new double[n];
        var samples = new List<double>();
        var blockSamples = blocks.Select(_ => new List<double>()).ToArray();
        while (true)
        {
            Vectors.FillRademacher(z, generator);
            Vectors.ApplyChecked(op, z, az);
            samples.Add(Vectors.Dot(z, az)); // the same sample HutchinsonTrace takes
            for (int b = 0; b < blocks.Count; b++)
            {
                var block = blocks[b];
                blockSamples[b].Add(Vectors.Dot(z.AsSpan(block.Offset, block.Length), az.AsSpan(block.Offset, block.Length)));
            }
            var (mean, standardError) = Vectors.MeanAndStandardError(samples);
            var stop = options.ShouldStop(samples.Count, mean, standardError);
            if (stop is null) continue;

            var full = new HutchinsonEstimate(mean, standardError, samples.Count, samples.Count, stop.Value, samples.ToArray());
            var entries = new BlockTraceEntry[blocks.Count];
            for (int b = 0; b < blocks.Count; b++)
            {
                var (blockMean, blockError) = Vectors.MeanAndStandardError(blockSamples[b]);
                entries[b] = new BlockTraceEntry(blocks[b].Name, blocks[b].Offset, blocks[b].Length, blockMean, blockError,
                    Array.AsReadOnly(blockSamples[b].ToArray()));
            }
            return new BlockTraceEstimate(full, Array.AsReadOnly(entries));
        }
    }

    /// <summary>Exactly <paramref name="probes"/> probes.</summary>
    public static BlockTraceEstimate Estimate(ILinearOperator op, IReadOnlyList<ParameterBlock> blocks, RandomStream generator, int probes) =>
        Estimate(op, blocks, generator, ProbeOptions.Fixed(probes));

    /// <summary>The blocks must be non-empty slices that cover 0..dimension−1 exactly once (in any order).</summary>
    static void CheckBlocks(IReadOnlyList<ParameterBlock> blocks, int dimension)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count == 0) throw new ArgumentException("at least one block is needed", nameof(blocks));
        for (int b = 0; b < blocks.Count; b++)
        {
            var block = blocks[b] ?? throw new ArgumentException($"block {b} is null", nameof(blocks));
            if (block.Name is null) throw new ArgumentException($"block {b} has no name", nameof(blocks));
            if (block.Length < 1)
                throw new ArgumentException($"block '{block.Name}' has length {block.Length}; blocks must be non-empty", nameof(blocks));
            if (block.Offset < 0 || (long)block.Offset + block.Length > dimension)
                throw new ArgumentException(
                    $"block '{block.Name}' covers [{block.Offset}, {(long)block.Offset + block.Length}) but the operator has dimension {dimension}", nameof(blocks));
        }
        var sorted = blocks.OrderBy(b => b.Offset).ToArray();
        int next = 0;
        foreach (var block in sorted)
        {
            if (block.Offset < next)
                throw new ArgumentException($"block '{block.Name}' starts at {block.Offset}, inside the previous block (which ends at {next})", nameof(blocks));
            if (block.Offset > next)
                throw new ArgumentException($"indices [{next}, {block.Offset}) are in no block: the blocks must cover the vector", nameof(blocks));
            next = block.Offset + block.Length;
        }
        if (next != dimension)
            throw new ArgumentException($"indices [{next}, {dimension}) are in no block: the blocks must cover the vector", nameof(blocks));
    }
}
