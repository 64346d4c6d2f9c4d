using System.Text;
using LabelNoise.Data;
using static TorchSharp.torch;

namespace LabelNoise.Models;

/// <summary>
/// Checks a TorchSharp state dict (<c>module.save</c>'s *.dat format) against the module it is meant for, in C#,
/// before TorchSharp reads it: TorchSharp trusts the sizes in the file (a corrupt one can end in an overflow, an
/// attempt to allocate gigabytes, or a read past the end). The format: the entry count (LEB128), then per entry the
/// name (a .NET length-prefixed UTF-8 string), the dtype, the rank and each dimension (LEB128), and the tensor's
/// bytes. A file that passes holds exactly the module's tensors, each once, with its dtype and shape, and nothing
/// after them.
/// </summary>
internal static class StateDictValidator
{
    /// <summary>Throws a <see cref="DataFormatException"/> naming the first mismatch unless <paramref name="path"/> is a whole state dict of <paramref name="module"/>.</summary>
    public static void Validate(string path, nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (!File.Exists(path)) throw new DataFormatException(path, "file not found");
        var expected = module.state_dict();
        using var stream = File.OpenRead(path);
        var reader = new Reader(stream, path);
        long entries = reader.Leb128("the entry count");
        if (entries != expected.Count)
            throw new DataFormatException(path, $"holds {entries} tensors but the model has {expected.Count}");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < entries; i++)
        {
            string name = reader.Name(i);
            if (!expected.TryGetValue(name, out var tensor))
                throw new DataFormatException(path, $"holds a tensor '{DataFormatException.Quote(name, 40)}' that the model does not have");
            if (!seen.Add(name)) throw new DataFormatException(path, $"holds the tensor '{name}' twice");
            long dtype = reader.Leb128($"the dtype of '{name}'");
            if (dtype != (long)tensor.dtype)
                throw new DataFormatException(path, $"tensor '{name}' has dtype code {dtype} but the model's is {tensor.dtype} ({(int)tensor.dtype})");
            long rank = reader.Leb128($"the rank of '{name}'");
            if (rank != tensor.shape.Length)
                throw new DataFormatException(path, $"tensor '{name}' has rank {rank} but the model's has rank {tensor.shape.Length}");
            var shape = new long[rank];
            for (int k = 0; k < rank; k++) shape[k] = reader.Leb128($"dimension {k} of '{name}'");
            if (!shape.SequenceEqual(tensor.shape))
                throw new DataFormatException(path, $"tensor '{name}' has shape [{string.Join(", ", shape)}] but the model's is [{string.Join(", ", tensor.shape)}]");
            reader.Skip(tensor.numel() * tensor.ElementSize, $"the data of '{name}'");
        }
        if (reader.Remaining > 0) throw new DataFormatException(path, $"{reader.Remaining} bytes follow the last tensor");
    }

    /// <summary>Reads the format's fields with every size checked against the bytes that are left.</summary>
    sealed class Reader(Stream stream, string path)
    {
        public long Remaining => stream.Length - stream.Position;

        DataFormatException Truncated(string what) => new(path, $"truncated state dict: the file ends inside {what}");

        int NextByte(string what)
        {
            int b = stream.ReadByte();
            return b < 0 ? throw Truncated(what) : b;
        }

        /// <summary>A non-negative LEB128 number (TorchSharp's encoding of counts, dtypes and dimensions), at most 2^62.</summary>
        public long Leb128(string what)
        {
            long value = 0;
            for (int shift = 0; ; shift += 7)
            {
                int b = NextByte(what);
                if (shift > 56 || (shift == 56 && (b & 0x7F) > 0x3F))
                    throw new DataFormatException(path, $"{what} is not a valid size (its encoding runs past 62 bits)");
                value |= (long)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return value;
            }
        }

        /// <summary>The name of entry <paramref name="index"/>: BinaryWriter's 7-bit length prefix, then strict UTF-8.</summary>
        public string Name(long index)
        {
            string what = $"the name of tensor {index}";
            int length = 0;
            for (int shift = 0; ; shift += 7)
            {
                int b = NextByte(what);
                if (shift > 28 || (shift == 28 && (b & 0x7F) > 0x07))
                    throw new DataFormatException(path, $"{what} has an invalid length prefix");
                length |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) break;
            }
            if (length > Remaining) throw Truncated(what);
            var bytes = new byte[length];
            stream.ReadExactly(bytes);
            try { return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes); }
            catch (DecoderFallbackException) { throw new DataFormatException(path, $"{what} is not valid UTF-8"); }
        }

        public void Skip(long count, string what)
        {
            if (count > Remaining) throw Truncated(what);
            stream.Seek(count, SeekOrigin.Current);
        }
    }
}
