using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace LabelNoise.Benchmarks;

/// <summary>
/// The process's peak resident memory (Linux: VmHWM of /proc/self/status; elsewhere
/// Process.PeakWorkingSet64). On Linux the peak can be reset (writing 5 to /proc/self/clear_refs),
/// so that the peak after a workload is that workload's, baseline (runtime, libtorch) included.
/// </summary>
public static class PeakMemory
{
    const string StatusFile = "/proc/self/status";
    const string ClearRefsFile = "/proc/self/clear_refs";

    /// <summary>
    /// Collects the garbage earlier workloads left (a compacting full collection, finalizers run, so that their
    /// freed tensors and arrays leave the resident size) and resets the peak to the resident size then; false
    /// where the reset is impossible (the peak then covers the whole process).
    /// </summary>
    public static bool TryResetPeak()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        try
        {
            File.WriteAllText(ClearRefsFile, "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>Peak resident memory in MiB since the start or the last reset.</summary>
    public static double PeakMegabytes()
    {
        try
        {
            if (File.Exists(StatusFile) && StatusKilobytes(File.ReadAllText(StatusFile), "VmHWM") is long kilobytes)
                return kilobytes / 1024.0;
        }
        catch (IOException) { }
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    /// <summary>The value in kB of a "Key:   123 kB" line of /proc/*/status text, or null when absent.</summary>
    public static long? StatusKilobytes(string statusText, string key)
    {
        ArgumentNullException.ThrowIfNull(statusText);
        foreach (var line in statusText.Split('\n'))
        {
            if (!line.StartsWith(key + ":", StringComparison.Ordinal)) continue;
            var fields = line[(key.Length + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 1 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out long value)) return value;
        }
        return null;
    }
}
