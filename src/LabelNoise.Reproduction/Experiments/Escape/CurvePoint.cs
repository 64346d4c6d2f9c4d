namespace LabelNoise.Experiments;

/// <summary>One measured point of a run. Accuracies are fractions; curvature is of the smoothed loss L at p.</summary>
/// <param name="EmaTestAccuracy">Test accuracy of the exponential moving average of the parameters (NaN without one).</param>
public sealed record CurvePoint(
    int Step,
    double TrainAccuracy,
    double TestAccuracy,
    double EmaTestAccuracy,
    double TrainLoss,
    double Trace,
    double TraceStandardError,
    double Regularizer,
    double RegularizerStandardError,
    double LargestEigenvalue,
    double TraceProxy,
    double TraceProxyStandardError);
