using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LabelNoise.Native;

/// <summary>
/// Makes TorchSharp load on Debian 12. Its libLibTorchSharp.so asks for the symbol version
/// GLIBCXX_3.4.32 (for one function it never calls) and Debian 12's libstdc++ stops at 3.4.30.
/// Where the original library loads, this does nothing. Otherwise it writes a copy whose
/// requirement on that version is marked weak (VER_FLG_WEAK in .gnu.version_r) and preloads it,
/// after libtorch's own libraries, so that TorchSharp's later load by name finds it in memory.
/// Before libtorch it gives <see cref="BlasPreload"/> the chance to route matrix products to OpenBLAS;
/// after it, <see cref="OneDnn"/> sets the process's convolution backend.
/// </summary>
public static class TorchSharpLoader
{
    const string WrapperFile = "libLibTorchSharp.so";
    static readonly string[] Dependencies = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];
    static readonly object Gate = new();
    static bool done;

    /// <summary>Why the loader did what it did; for diagnostics.</summary>
    public static string Outcome { get; private set; } = "not run";

#pragma warning disable CA2255 // the point: run before any TorchSharp call from this library
    [ModuleInitializer]
    internal static void Initialize() => EnsureLoaded();
#pragma warning restore CA2255

    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (done) return;
            done = true;
            if (!OperatingSystem.IsLinux()) { Outcome = "not Linux: nothing to do"; return; }
            try { Outcome = Load(); }
            catch (Exception e) { Outcome = "failed: " + e.Message; }
        }
    }

    static string Load()
    {
        string? folder = FindNativeFolder();
        if (folder is null)
        {
            OneDnn.ApplyDefault(null);
            return "natives not found next to the application: left to TorchSharp";
        }
        BlasPreload.Apply(); // before libtorch, so that its matrix products can be taken over
        foreach (var dependency in Dependencies)
        {
            var path = Path.Combine(folder, dependency);
            if (File.Exists(path)) NativeLibrary.Load(path);
        }
        OneDnn.ApplyDefault(folder);
        string original = Path.Combine(folder, WrapperFile);
        if (NativeLibrary.TryLoad(original, out _)) return "original library loaded";
        string patched = PatchedCopy(original);
        NativeLibrary.Load(patched);
        return "patched copy loaded from " + patched;
    }

    static string? FindNativeFolder()
    {
        var candidates = new List<string> { AppContext.BaseDirectory };
        var torchAssembly = typeof(TorchSharp.torch).Assembly.Location;
        if (!string.IsNullOrEmpty(torchAssembly)) candidates.Add(Path.GetDirectoryName(torchAssembly)!);
        foreach (var folder in candidates)
        {
            if (File.Exists(Path.Combine(folder, WrapperFile))) return folder;
            var runtimeFolder = Path.Combine(folder, "runtimes", "linux-x64", "native");
            if (File.Exists(Path.Combine(runtimeFolder, WrapperFile))) return runtimeFolder;
        }
        return null;
    }

    static string PatchedCopy(string original)
    {
        var info = new FileInfo(original);
        var cache = Path.Combine(Path.GetTempPath(), $"labelnoise-natives-{info.Length}-{info.LastWriteTimeUtc.Ticks}");
        Directory.CreateDirectory(cache);
        var target = Path.Combine(cache, WrapperFile);
        if (File.Exists(target)) return target;
        byte[] image = File.ReadAllBytes(original);
        int marked = ElfVersionPatch.MarkVersionWeak(image, "GLIBCXX_3.4.32");
        if (marked == 0) throw new InvalidOperationException($"{original} does not load and has no GLIBCXX_3.4.32 requirement to relax.");
        var temporary = target + "." + Environment.ProcessId + ".tmp";
        File.WriteAllBytes(temporary, image);
        File.Move(temporary, target, overwrite: true);
        return target;
    }
}
