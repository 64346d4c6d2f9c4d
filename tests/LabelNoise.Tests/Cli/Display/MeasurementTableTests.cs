using LabelNoise.Cli.Display;
using LabelNoise.Measurement;
using Spectre.Console;

namespace LabelNoise.Tests.Cli.Display;

public class MeasurementTableTests
{
    static PointMeasurement Measurement(string data) => new()
    {
        Loss = 0.5, GradientNorm = 0.25, Trace = new Estimate(12.5, 0.5), TopEigenvalue = new Estimate(3), GaussNewtonTrace = new Estimate(11),
        Lambda = 0.01, Regularizer = new Estimate(3.5, 0.25), RegularizedLoss = new Estimate(0.535, 0.0025), StepTimesTopEigenvalue = 0.3,
        Exact = false, ParameterCount = 42, ExampleCount = 500, Products = 80, Seconds = 1.5, Data = data, LossFunction = "cross entropy",
        BlockTraces = [("fc1.weight", new Estimate(10, 0.5))], Warnings = ["a [bracketed] warning"],
    };

    static string Print(PointMeasurement m, IAnsiConsole? console = null)
    {
        var output = new StringWriter();
        var fallback = new StringWriter();
        console ??= AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        MeasurementTable.Print(m, console, fallback);
        return output + fallback.ToString();
    }

    [Theory]
    [InlineData("fashion-mnist/train[500]")]
    [InlineData("fashion-mnist/train[200]")]
    [InlineData("mnist:/data/[x]/train[3]")]
    [InlineData("cifar10/train")]
    [InlineData("csv:/tmp/points.csv[3]")]
    [InlineData("sparse:d=6,n=4,r=2,seed=1")]
    public void EveryNumberIsShownWhateverTheDataIsCalled(string data)
    {
        string text = Print(Measurement(data));
        Assert.Contains(data, text);
        foreach (var expected in new[] { "trace", "12.5", "0.5", "regularizer", "3.5", "lambda", "cross entropy", "fc1.weight", "a [bracketed] warning" })
            Assert.Contains(expected, text);
        Assert.DoesNotContain("could not be drawn", text);
    }

    [Fact]
    public void WhenTheTableCannotBeDrawnTheNumbersComeAsPlainLines()
    {
        string text = Print(Measurement("fashion-mnist/train[500]"), new ThrowingConsole());
        Assert.Contains("the table could not be drawn", text);
        Assert.Contains("trace: 12.5 ± 0.5", text);
        Assert.Contains("regularizer: 3.5 ± 0.25", text);
        Assert.Contains("warning: a [bracketed] warning", text);
    }

    [Fact]
    public void AnExactValueReadsExactNotPlusMinusNothing()
    {
        Assert.Equal("3 (exact)", new Estimate(3).ToString());
        Assert.Equal("12.5 ± 0.5", new Estimate(12.5, 0.5).ToString());
    }

    /// <summary>A console whose every write fails as Spectre.Console's markup parser does.</summary>
    sealed class ThrowingConsole : IAnsiConsole
    {
        readonly IAnsiConsole inner = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
        public Profile Profile => inner.Profile;
        public IAnsiConsoleCursor Cursor => inner.Cursor;
        public IAnsiConsoleInput Input => inner.Input;
        public IExclusivityMode ExclusivityMode => inner.ExclusivityMode;
        public Spectre.Console.Rendering.RenderPipeline Pipeline => inner.Pipeline;
        public void Clear(bool home) { }
        public void Write(Spectre.Console.Rendering.IRenderable renderable) => throw new InvalidOperationException("Unbalanced markup stack");
        public void WriteAnsi(Action<AnsiWriter> action) => throw new InvalidOperationException("Unbalanced markup stack");
    }
}
