using System.Runtime.InteropServices;

namespace LabelNoise.Benchmarks;

/// <summary>The machine a benchmark ran on: logical cores, CPU model (/proc/cpuinfo), memory and OS.</summary>
public sealed record MachineInfo(int Cores, string CpuModel, double? MemoryMegabytes, string OperatingSystem)
{
    public static MachineInfo Current()
    {
        string model = RuntimeInformation.ProcessArchitecture.ToString();
        double? memory = null;
        try
        {
            if (File.Exists("/proc/cpuinfo") && CpuModelOf(File.ReadAllText("/proc/cpuinfo")) is { } name) model = name;
            if (File.Exists("/proc/meminfo") && PeakMemory.StatusKilobytes(File.ReadAllText("/proc/meminfo"), "MemTotal") is long kb) memory = kb / 1024.0;
        }
        catch (IOException) { }
        return new MachineInfo(Environment.ProcessorCount, model, memory, RuntimeInformation.OSDescription);
    }

    /// <summary>The processor's feature flags (the first "flags" line of /proc/cpuinfo text), empty when there is none.</summary>
    public static HashSet<string> CpuFlagsOf(string cpuinfo)
    {
        foreach (var line in cpuinfo.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim() == "flags") return line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        }
        return [];
    }

    /// <summary>The first "model name" of /proc/cpuinfo text, or null.</summary>
    public static string? CpuModelOf(string cpuinfo)
    {
        foreach (var line in cpuinfo.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim() == "model name") return line[(colon + 1)..].Trim();
        }
        return null;
    }
}
