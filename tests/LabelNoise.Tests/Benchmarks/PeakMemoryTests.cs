using LabelNoise.Benchmarks;

namespace LabelNoise.Tests.Benchmarks;

public class PeakMemoryTests
{
    [Fact]
    public void StatusLinesAreParsedInKilobytes()
    {
        const string status = "Name:\tdotnet\nVmPeak:\t 9000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t 100 kB\n";
        Assert.Equal(123456, PeakMemory.StatusKilobytes(status, "VmHWM"));
        Assert.Equal(9000, PeakMemory.StatusKilobytes(status, "VmPeak"));
        Assert.Null(PeakMemory.StatusKilobytes(status, "VmSwap"));
    }

    [Fact]
    public void PeakIsPositiveAndAtLeastWhatWasJustTouched()
    {
        PeakMemory.TryResetPeak();
        var block = new byte[64 << 20];
        for (int i = 0; i < block.Length; i += 4096) block[i] = 1; // make the pages resident
        double peak = PeakMemory.PeakMegabytes();
        GC.KeepAlive(block);
        Assert.True(peak >= 64, $"peak {peak} MB after touching 64 MB");
    }

    [Fact]
    public void CpuModelIsTheFirstModelName()
    {
        const string cpuinfo = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n\nprocessor\t: 1\nmodel name\t: other\n";
        Assert.Equal("AMD EPYC 7B13", MachineInfo.CpuModelOf(cpuinfo));
        Assert.Null(MachineInfo.CpuModelOf("processor : 0\n"));
    }

    [Fact]
    public void CpuFlagsAreTheFirstFlagsLine()
    {
        const string cpuinfo = "processor\t: 0\nflags\t\t: fpu avx2 avx512f\nflagsx\t: no\n\nprocessor\t: 1\nflags\t\t: sse\n";
        Assert.Equal(["avx2", "avx512f", "fpu"], MachineInfo.CpuFlagsOf(cpuinfo).Order());
        Assert.Empty(MachineInfo.CpuFlagsOf("processor : 0\n"));
    }
}
