namespace LabelNoise;

/// <summary>
/// A value the user chose is impossible or does not fit the rest (a data, model or noise spec, a configuration, an
/// option of a measurement, a model whose outputs do not fit the data). The command line reports it as one sentence
/// with exit code 2; any other <see cref="ArgumentException"/> from the library is a fault of the library (exit 1,
/// "please report"). It is an <see cref="ArgumentException"/>, so code that catches those still does.
/// </summary>
public class SettingException : ArgumentException
{
    public SettingException(string message) : base(message) { }

    public SettingException(string message, string? paramName) : base(message, paramName) { }
}
