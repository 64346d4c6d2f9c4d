using LabelNoise.Randomness;

namespace LabelNoise.Tests.TestSupport;

/// <summary>Random damage to a valid file: bit flips, byte changes, truncation, insertion, deletion, duplication.</summary>
public static class FuzzMutation
{
    public static byte[] Mutate(byte[] original, Generator generator)
    {
        var bytes = original.ToList();
        int edits = 1 + generator.NextInt(3);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = generator.NextInt(bytes.Count);
            switch (generator.NextInt(6))
            {
                case 0: bytes[at] ^= (byte)(1 << generator.NextInt(8)); break;
                case 1: bytes[at] = (byte)generator.NextInt(256); break;
                case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                case 3: bytes.Insert(at, (byte)"0123456789-.e\"{}[],:"[generator.NextInt(20)]); break;
                case 4: bytes.RemoveAt(at); break;
                default: bytes.InsertRange(at, bytes.Skip(generator.NextInt(bytes.Count)).Take(1 + generator.NextInt(16)).ToList()); break;
            }
        }
        return [.. bytes];
    }
}
