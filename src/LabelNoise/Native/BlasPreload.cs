using System.Runtime.InteropServices;

namespace LabelNoise.Native;

/// <summary>
/// Routes libtorch's matrix products to Debian's OpenBLAS where it is installed. libtorch-cpu links MKL
/// statically but exports <c>sgemm_</c>/<c>dgemm_</c> without binding its own calls to them, so a BLAS loaded
/// into the global symbol scope first takes those calls over; the system's GNU OpenMP runtime is loaded
/// first too, so that libtorch and OpenBLAS share one thread pool instead of two pools spinning against
/// each other. On this project's AMD EPYC machine the bundled MKL ran a 2048² float32 product at
/// ~210 GFLOP/s on 2 threads and OpenBLAS at ~250 (see the issue notes). <c>LABELNOISE_BLAS=mkl</c> keeps MKL.
/// </summary>
public static class BlasPreload
{
    public const string Variable = "LABELNOISE_BLAS";
    const string Folder = "/usr/lib/x86_64-linux-gnu";
    static readonly string OpenMp = Path.Combine(Folder, "libgomp.so.1");
    static readonly string OpenBlas = Path.Combine(Folder, "openblas-openmp", "libblas.so.3");
    const int RtldNow = 2, RtldGlobal = 0x100;

    /// <summary>Which BLAS libtorch's matrix products use in this process, and why.</summary>
    public static string Outcome { get; private set; } = "libtorch's bundled MKL (not checked)";

    /// <summary>Whether OpenBLAS took over the matrix products.</summary>
    public static bool UsesOpenBlas { get; private set; }

    /// <summary>Loads OpenMP and OpenBLAS globally; must run before libtorch is loaded. Never throws.</summary>
    internal static void Apply()
    {
        if (string.Equals(Environment.GetEnvironmentVariable(Variable), "mkl", StringComparison.OrdinalIgnoreCase))
        {
            Outcome = $"libtorch's bundled MKL ({Variable}=mkl)";
            return;
        }
        if (!File.Exists(OpenMp) || !File.Exists(OpenBlas))
        {
            Outcome = "libtorch's bundled MKL (Debian's libopenblas0-openmp is not installed)";
            return;
        }
        try
        {
            if (DlOpen(OpenMp, RtldNow | RtldGlobal) == IntPtr.Zero || DlOpen(OpenBlas, RtldNow | RtldGlobal) == IntPtr.Zero)
            {
                Outcome = "libtorch's bundled MKL (OpenBLAS did not load: " + Marshal.PtrToStringAnsi(DlError()) + ")";
                return;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Outcome = "libtorch's bundled MKL (no dlopen: " + e.Message + ")";
            return;
        }
        UsesOpenBlas = true;
        Outcome = "OpenBLAS (" + OpenBlas + ") with the system's OpenMP runtime";
    }

    [DllImport("libc", EntryPoint = "dlopen")]
    static extern IntPtr DlOpen([MarshalAs(UnmanagedType.LPUTF8Str)] string file, int mode);

    [DllImport("libc", EntryPoint = "dlerror")]
    static extern IntPtr DlError();
}
