using System.Runtime.InteropServices;

namespace LabelNoise.Native;

/// <summary>
/// libtorch's oneDNN (mkldnn) backend, which runs float32 convolutions by default. Its backward-data
/// kernels (oneDNN 3.7.1 inside libtorch 2.10: jit:avx2 and jit:avx512_core) return wrong input gradients,
/// sometimes NaN, when a layer's channel count does not fill the kernel's SIMD block: on an AMD EPYC with
/// AVX-512 it hit 1→2, 2→4, 64→15 and 64→17 channels, not 64→16 or 64→64, and not always the same run
/// (docs/platform.md, "Convolutions"). Nothing else checks a gradient that is merely wrong, so it is switched off for the
/// process: convolutions then take libtorch's native path (im2col and BLAS), which agrees with float64.
/// <c>LABELNOISE_ONEDNN=on</c> keeps it, for speed (ResNet-18 steps are several times faster with it);
/// the gradient self-check (<see cref="Models.GradientSelfCheck"/>) then guards every model and switches
/// it off where it sees a wrong gradient. The switch is libtorch's own
/// <c>at::Context::setUserEnabledMkldnn</c>, reached through the symbol that libtorch_cpu.so exports. NNPACK is switched
/// off with it (<c>setUserEnabledNNPACK</c>): on processors it does not know it fails to initialize and would then log
/// a warning at every convolution of the native path, which is the one that runs either way.
/// </summary>
public static class OneDnn
{
    public const string Variable = "LABELNOISE_ONEDNN";
    const string ContextSymbol = "_ZN2at13globalContextEv";
    const string SetSymbol = "_ZN2at7Context20setUserEnabledMkldnnEb";
    const string GetSymbol = "_ZNK2at7Context17userEnabledMkldnnEv";
    const string NnpackSymbol = "_ZN2at7Context20setUserEnabledNNPACKEb";
    static readonly object Gate = new();
    static IntPtr library;

    /// <summary>What the process does about oneDNN, and why; for config.json, reports and <c>labelnoise doctor</c>.</summary>
    public static string Outcome { get; private set; } = "not set (libtorch's default: on)";

    /// <summary>Whether libtorch may use oneDNN now (read from libtorch itself where it can be).</summary>
    public static bool Enabled
    {
        get
        {
            lock (Gate)
            {
                if (!TryContext(out var context, out _)) return true;
                unsafe { return ((delegate* unmanaged<IntPtr, byte>)NativeLibrary.GetExport(library, GetSymbol))(context) != 0; }
            }
        }
    }

    /// <summary>Whether the user asked to keep oneDNN (<c>LABELNOISE_ONEDNN=on</c>).</summary>
    public static bool RequestedOn => string.Equals(Environment.GetEnvironmentVariable(Variable), "on", StringComparison.OrdinalIgnoreCase);

    /// <summary>The process default, applied once libtorch is loaded: off unless the user asked for it. Never throws.</summary>
    internal static void ApplyDefault(string? nativeFolder)
    {
        lock (Gate)
        {
            library = Open(nativeFolder);
            if (RequestedOn) { Outcome = $"on ({Variable}=on; the gradient self-check guards it)"; return; }
            Outcome = Set(false, out string? problem)
                ? "off (its float32 convolution backward is wrong on some processors; native convolutions instead)"
                : "on: it could not be switched off (" + problem + ")";
        }
    }

    /// <summary>Switches oneDNN off for the rest of the process; false (with the reason) where libtorch offers no switch.</summary>
    public static bool SwitchOff(string reason, out string? problem)
    {
        lock (Gate)
        {
            if (!Set(false, out problem)) return false;
            Outcome = "off (" + reason + ")";
            return true;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> with oneDNN on or off and restores the previous state (for a diagnosis such as
    /// <c>labelnoise doctor</c>'s, never for training). Null where libtorch offers no switch.
    /// </summary>
    public static T? With<T>(bool on, Func<T> action) where T : struct
    {
        lock (Gate)
        {
            bool before = Enabled;
            if (!Set(on, out _)) return null;
            try { return action(); }
            finally { Set(before, out _); }
        }
    }

    static bool Set(bool on, out string? problem)
    {
        if (!TryContext(out var context, out problem)) return false;
        unsafe
        {
            ((delegate* unmanaged<IntPtr, byte, void>)NativeLibrary.GetExport(library, SetSymbol))(context, on ? (byte)1 : (byte)0);
            if (!on && NativeLibrary.TryGetExport(library, NnpackSymbol, out var nnpack)) ((delegate* unmanaged<IntPtr, byte, void>)nnpack)(context, 0);
        }
        return true;
    }

    static bool TryContext(out IntPtr context, out string? problem)
    {
        context = IntPtr.Zero;
        problem = null;
        if (library == IntPtr.Zero) library = Open(null);
        if (library == IntPtr.Zero) { problem = "libtorch_cpu.so was not found"; return false; }
        if (!NativeLibrary.TryGetExport(library, ContextSymbol, out var contextFunction)
            || !NativeLibrary.TryGetExport(library, SetSymbol, out _) || !NativeLibrary.TryGetExport(library, GetSymbol, out _))
        {
            problem = "this libtorch does not export at::Context::setUserEnabledMkldnn";
            return false;
        }
        unsafe { context = ((delegate* unmanaged<IntPtr>)contextFunction)(); }
        return true;
    }

    static IntPtr Open(string? nativeFolder)
    {
        if (nativeFolder is not null && NativeLibrary.TryLoad(Path.Combine(nativeFolder, "libtorch_cpu.so"), out var handle)) return handle;
        return NativeLibrary.TryLoad("libtorch_cpu.so", typeof(TorchSharp.torch).Assembly, null, out handle) ? handle : IntPtr.Zero;
    }
}
