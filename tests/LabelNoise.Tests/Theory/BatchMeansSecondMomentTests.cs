using LabelNoise.Theory;

namespace LabelNoise.Tests.Theory;

public class BatchMeansSecondMomentTests
{
    [Fact]
    public void MeanIsTheAverageOuterProductAndErrorsComeFromBatchMeans()
    {
        var moments = new BatchMeansSecondMoment(dimension: 2, batches: 2, samplesPerBatch: 2);
        double[][] samples = [[1, 2], [3, 0], [-1, 1], [0, 2]];
        foreach (var s in samples) moments.Add(s);
        var mean = moments.Mean();
        Assert.Equal((1 + 9 + 1 + 0) / 4.0, mean[0, 0], 15);
        Assert.Equal((2 + 0 - 1 + 0) / 4.0, mean[0, 1], 15);
        // Batch means of the (1,1) entry: (4 + 0)/2 = 2 and (1 + 4)/2 = 2.5; SE = sd/√2 = |2 − 2.5|/2.
        Assert.Equal(0.25, moments.StandardErrors()[1, 1], 15);
        var (trace, error) = moments.Functional(m => m[0, 0] + m[1, 1]);
        Assert.Equal(mean[0, 0] + mean[1, 1], trace, 14);
        // The trace's batch values: (1 + 4 + 9 + 0)/2 = 7 and (1 + 1 + 0 + 4)/2 = 3; SE = sd/√2 = √((2² + 2²)/1)/√2 = 2.
        Assert.Equal(5, trace, 14);
        Assert.Equal(2, error, 14);
        Assert.Throws<InvalidOperationException>(() => moments.Add([1, 1]));
    }

    [Fact]
    public void RefusesToSummarizeBeforeTheBatchesAreFull()
    {
        var moments = new BatchMeansSecondMoment(1, 2, 2);
        moments.Add([1]);
        Assert.Throws<InvalidOperationException>(() => moments.Mean());
    }
}
