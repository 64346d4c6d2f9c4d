using LabelNoise.Tests.TestSupport;
using LabelNoise.Training;

namespace LabelNoise.Tests.Training;

public class RunLockTests
{
    [Fact]
    public void OneHolderAtATimeAndFreeAgainAfterwards()
    {
        using var folder = new TempFolder();
        string run = folder.File("run");
        Assert.False(RunLock.IsHeld(run));
        using (RunLock.Acquire(run))
        {
            Assert.True(Directory.Exists(run));
            Assert.True(RunLock.IsHeld(run));
            var e = Assert.Throws<RunFolderInUseException>(() => RunLock.Acquire(run));
            Assert.Contains("in use by another running labelnoise process", e.Message);
        }
        Assert.False(RunLock.IsHeld(run));
        using (RunLock.Acquire(run)) Assert.True(RunLock.IsHeld(run));
    }
}
