using LabelNoise;
using LabelNoise.Training;

namespace LabelNoise.Tests.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void MultipliesAtTheGivenSteps()
    {
        var schedule = LearningRateSchedule.Parse(0.01, "200000:0.1,100000:0.1");
        Assert.Equal(0.01, schedule.At(99_999));
        Assert.Equal(0.001, schedule.At(100_000), 15);
        Assert.Equal(0.0001, schedule.At(250_000), 15);
    }

    [Theory]
    [InlineData(0.0, null, "positive number")]
    [InlineData(0.1, "100", "is not step:factor")]
    [InlineData(0.1, "100:-1", "is not step:factor")]
    public void RejectsBadSchedules(double rate, string? decay, string fragment) =>
        Assert.Contains(fragment, Assert.Throws<SettingException>(() => LearningRateSchedule.Parse(rate, decay)).Message);
}
