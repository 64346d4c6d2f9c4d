namespace LabelNoise.Objectives;

/// <summary>
/// What a Hessian-vector product needs of the current point on each chunk of the evaluation set (a
/// gradient graph, or the written-out product's activations): kept and reused by every product while
/// the set has at most <see cref="TorchObjective.MaxCachedChunks"/> chunks, otherwise built for each
/// use and released after it, so that memory stays bounded.
/// </summary>
sealed class ChunkStates<T>(TorchObjective owner, Func<int, T> build, Action<T> release) : IDisposable
{
    readonly List<T> kept = new();

    /// <summary>Whether the states outlive a product (few chunks).</summary>
    public bool Keep => owner.ChunkCount <= TorchObjective.MaxCachedChunks;

    /// <summary>Chunk c's state: the kept one, or a new one (kept when <see cref="Keep"/>). Hand it back to <see cref="Done"/>.</summary>
    public T Get(int chunk)
    {
        var state = chunk < kept.Count ? kept[chunk] : build(chunk);
        if (Keep && chunk == kept.Count) kept.Add(state);
        return state;
    }

    /// <summary>Ends a use of a state from <see cref="Get"/>: releases it unless it is kept.</summary>
    public void Done(T state)
    {
        if (!Keep) release(state);
    }

    public void Dispose()
    {
        foreach (var state in kept) release(state);
        kept.Clear();
    }
}
