using LabelNoise.Native;

namespace LabelNoise.Tests.Native;

public class ElfVersionPatchTests
{
    static string Wrapper => Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");

    [Fact]
    public void MarksTheGlibcxxRequirementOfTorchSharpWeakAndNothingElse()
    {
        var original = File.ReadAllBytes(Wrapper);
        var image = (byte[])original.Clone();
        int marked = ElfVersionPatch.MarkVersionWeak(image, "GLIBCXX_3.4.32");
        Assert.Equal(1, marked);
        var changed = Enumerable.Range(0, image.Length).Where(i => image[i] != original[i]).ToArray();
        var offset = Assert.Single(changed);
        Assert.Equal(original[offset] | 0x2, image[offset]);
        Assert.Equal(0, ElfVersionPatch.MarkVersionWeak(image, "GLIBCXX_9.9.99"));
    }

    [Fact]
    public void RejectsFilesThatAreNotElf() =>
        Assert.Throws<InvalidDataException>(() => ElfVersionPatch.MarkVersionWeak(new byte[100], "GLIBCXX_3.4.32"));

    [Fact]
    public void TorchSharpIsLoaded()
    {
        TorchSharpLoader.EnsureLoaded();
        Assert.StartsWith(TorchSharpLoader.Outcome.StartsWith("patched", StringComparison.Ordinal) ? "patched copy loaded" : "original library loaded", TorchSharpLoader.Outcome);
        using var x = TorchSharp.torch.ones(3);
        Assert.Equal(3.0f, x.sum().item<float>());
    }
}
