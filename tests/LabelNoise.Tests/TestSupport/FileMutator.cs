using System.Text;

namespace LabelNoise.Tests.TestSupport;

/// <summary>
/// Seeded random damage to the bytes of a valid file, for fuzzing a reader: bit flips, truncation, inserted or
/// deleted or repeated bytes, a huge or negative number written over a header field, and (for text formats)
/// tokens a number parser can trip on. The same seed gives the same cases on every run.
/// </summary>
/// <param name="seed">The cases' seed.</param>
/// <param name="headerFields">Offsets of the format's size and count fields (where a huge value does the most harm).</param>
/// <param name="text">Whether the format is text (then tokens such as "NaN", "1e400" and line breaks are inserted too).</param>
public sealed class FileMutator(int seed, IReadOnlyList<int> headerFields, bool text = false)
{
    readonly Random random = new(seed);

    /// <summary>Numbers that break size arithmetic: big-endian int32 extremes and a 9-byte LEB128 that overflows int64.</summary>
    static readonly byte[][] HugeFields =
    [
        [0x7F, 0xFF, 0xFF, 0xFF], [0xFF, 0xFF, 0xFF, 0xFF], [0x80, 0x00, 0x00, 0x00], [0x00, 0x00, 0x00, 0x00],
        [0x00, 0x10, 0x00, 0x00], [0x40, 0x00, 0x00, 0x00], [0xFF, 0xFF, 0xFF, 0x7F],
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
    ];

    static readonly string[] Tokens =
    [
        ",", "\n", "\r\n", "-", "e999", "1e400", "-1e400", "NaN", "Infinity", "∞", " ", "\t", "\0", "\"", "abc", ",,,,", "\n\n\n",
        new string('9', 400), "0x1F", "1,5", "\uFEFF", "\u00A0",
    ];

    public const string BitFlips = "bit flips", Truncation = "truncation", Insertion = "insertion", Deletion = "deletion",
        Repetition = "repetition", HugeField = "huge header field", Token = "text token";

    /// <summary>One damaged copy of <paramref name="valid"/> and the kind of damage done.</summary>
    public (byte[] Bytes, string Kind) Next(byte[] valid)
    {
        int choice = random.Next(text ? 7 : 6);
        var bytes = new List<byte>(valid);
        string kind;
        switch (choice)
        {
            case 0:
                kind = BitFlips;
                if (bytes.Count == 0) break;
                for (int flips = 1 + random.Next(4); flips > 0; flips--)
                {
                    int at = random.Next(bytes.Count);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                }
                break;
            case 1:
                kind = Truncation;
                int keep = random.Next(bytes.Count);
                bytes.RemoveRange(keep, bytes.Count - keep);
                break;
            case 2:
                kind = Insertion;
                bytes.InsertRange(random.Next(bytes.Count + 1), RandomBytes(1 + random.Next(64)));
                break;
            case 3:
                kind = Deletion;
                if (bytes.Count == 0) break;
                int from = random.Next(bytes.Count);
                bytes.RemoveRange(from, Math.Min(bytes.Count - from, 1 + random.Next(64)));
                break;
            case 4:
                kind = Repetition;
                if (bytes.Count == 0) break;
                int start = random.Next(bytes.Count);
                var chunk = bytes.GetRange(start, Math.Min(bytes.Count - start, 1 + random.Next(256)));
                bytes.InsertRange(start, chunk);
                break;
            case 5:
                kind = HugeField;
                var field = HugeFields[random.Next(HugeFields.Length)];
                int offset = headerFields.Count > 0 ? headerFields[random.Next(headerFields.Count)] : random.Next(bytes.Count + 1);
                for (int k = 0; k < field.Length; k++)
                    if (offset + k < bytes.Count) bytes[offset + k] = field[k];
                    else bytes.Add(field[k]);
                break;
            default:
                kind = Token;
                bytes.InsertRange(random.Next(bytes.Count + 1), Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)]));
                break;
        }
        return (bytes.ToArray(), kind);
    }

    byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
