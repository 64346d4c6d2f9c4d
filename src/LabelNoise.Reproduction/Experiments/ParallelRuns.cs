using System.Runtime.ExceptionServices;
using TorchSharp;

namespace LabelNoise.Experiments;

/// <summary>
/// Independent runs of an experiment (seeds × methods × inits) on up to one thread per core, each with one
/// libtorch thread, so that two small-model runs on 2 cores take about the time of one. Every run draws from its
/// own generators, so the results do not depend on the schedule; they come back in the order of the inputs.
/// </summary>
public static class ParallelRuns
{
    /// <summary>Threads used: the core count (at least 1).</summary>
    public static int Workers => Math.Max(1, Environment.ProcessorCount);

    /// <summary>
    /// <paramref name="run"/> on every item, <see cref="Workers"/> at a time; <paramref name="finished"/> is called once per
    /// item as it ends (one call at a time). The first failure (other than cancellation) is rethrown as itself.
    /// </summary>
    public static TResult[] Map<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, TResult> run,
        Action<int, TItem, TResult>? finished = null, CancellationToken cancellation = default)
    {
        var results = new TResult[items.Count];
        var gate = new object();
        int threads = torch.get_num_threads(); // restored at the end; each item sets one thread on the thread that runs it
        try
        {
            Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = Workers, CancellationToken = cancellation }, i =>
            {
                torch.set_num_threads(1); // also on this worker: OpenMP keeps a thread count per thread, which BLAS reads
                results[i] = run(items[i]);
                lock (gate) finished?.Invoke(i, items[i], results[i]);
            });
        }
        catch (AggregateException e)
        {
            var first = e.Flatten().InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException) ?? e.InnerExceptions[0];
            ExceptionDispatchInfo.Throw(first);
        }
        finally
        {
            torch.set_num_threads(threads);
        }
        return results;
    }
}
