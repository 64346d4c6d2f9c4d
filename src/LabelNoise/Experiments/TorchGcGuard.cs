using System.Runtime;

namespace LabelNoise.Experiments;

/// <summary>
/// Keeps the garbage collector away from TorchSharp calls in flight. TorchSharp 0.107's operators turn numbers
/// into native Scalars implicitly (<c>tensor / n</c>, <c>add_(g, alpha: −η)</c>, …) and pass the handle to native
/// code without keeping the Scalar alive; if a collection runs during that call (triggered by any other thread that
/// allocates: the finalizer thread, the JIT's background work), the Scalar is finalized and freed mid-call — the
/// process then fails with "Unknown scalar type" or "Expected false to be true", aborts, or silently reads freed
/// memory. Inside a guard no collection happens (a no-GC region of <see cref="Budget"/> bytes) except at
/// <see cref="SafePoint"/>s, which the caller places where no TorchSharp call is in flight; there a collection
/// finalizes only Scalars that are truly dead. If the budget runs out between safe points the runtime collects
/// anyway and protection lapses until the next safe point. One guard at a time, on the thread doing all the
/// TorchSharp work.
/// </summary>
public sealed class TorchGcGuard : IDisposable
{
    /// <summary>Bytes that may be allocated between safe points (garbage stays in memory until the next one).</summary>
    public const long Budget = 1L << 30;

    static readonly object Gate = new();
    static TorchGcGuard? active;
    bool disposed;

    TorchGcGuard() { }

    /// <summary>Starts guarding (nested calls share the outer guard and return null).</summary>
    public static TorchGcGuard? Enter()
    {
        lock (Gate)
        {
            if (active is not null) return null;
            active = new TorchGcGuard();
            Begin();
            return active;
        }
    }

    /// <summary>Whether a guard is active.</summary>
    public static bool IsActive
    {
        get { lock (Gate) return active is not null; }
    }

    /// <summary>Collects garbage now (call only where no TorchSharp call is in flight) and guards again; a no-op without a guard.</summary>
    public static void SafePoint()
    {
        lock (Gate)
        {
            if (active is null) return;
            End();
            Begin();
        }
    }

    public void Dispose()
    {
        lock (Gate)
        {
            if (disposed) return;
            disposed = true;
            if (ReferenceEquals(active, this)) active = null;
            End();
        }
    }

    static void Begin()
    {
        try { GC.TryStartNoGCRegion(Budget); }
        catch (ArgumentOutOfRangeException) { GC.TryStartNoGCRegion(Budget / 8); } // a runtime with a smaller limit
        catch (InvalidOperationException) { } // already in a region
    }

    static void End()
    {
        if (GCSettings.LatencyMode != GCLatencyMode.NoGCRegion) return;
        try { GC.EndNoGCRegion(); }
        catch (InvalidOperationException) { } // the budget ran out or someone collected: the region is already over
    }
}
