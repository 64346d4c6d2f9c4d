using System.Buffers.Binary;
using System.Text;

namespace LabelNoise.Native;

/// <summary>Edits the version requirements (.gnu.version_r) of a 64-bit little-endian ELF image.</summary>
internal static class ElfVersionPatch
{
    const uint SectionTypeVersionNeed = 0x6ffffffe; // SHT_GNU_verneed
    const ushort VersionFlagWeak = 0x2;              // VER_FLG_WEAK

    /// <summary>Sets VER_FLG_WEAK on every requirement of <paramref name="version"/>; returns how many were marked.</summary>
    public static int MarkVersionWeak(byte[] image, string version)
    {
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (image[4] != 2 || image[5] != 1) throw new InvalidDataException("only 64-bit little-endian ELF files are supported");
        var span = image.AsSpan();
        long sectionTable = (long)BinaryPrimitives.ReadUInt64LittleEndian(span[0x28..]);
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        int marked = 0;
        for (int s = 0; s < count; s++)
        {
            var header = span[(int)(sectionTable + s * entrySize)..];
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != SectionTypeVersionNeed) continue;
            long offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]);
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            int needCount = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x2C..]);
            var strings = span[(int)(sectionTable + link * entrySize)..];
            long stringTable = (long)BinaryPrimitives.ReadUInt64LittleEndian(strings[0x18..]);
            long need = offset;
            for (int n = 0; n < needCount; n++)
            {
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(span[(int)(need + 2)..]);
                long aux = need + BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(need + 8)..]);
                for (int a = 0; a < auxCount; a++)
                {
                    long name = stringTable + BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(aux + 8)..]);
                    if (ReadString(span, name) == version)
                    {
                        var flags = span[(int)(aux + 4)..];
                        BinaryPrimitives.WriteUInt16LittleEndian(flags, (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(flags) | VersionFlagWeak));
                        marked++;
                    }
                    aux += BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(aux + 12)..]);
                }
                need += BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(need + 12)..]);
            }
        }
        return marked;
    }

    static string ReadString(ReadOnlySpan<byte> span, long start)
    {
        int end = span[(int)start..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(span.Slice((int)start, end));
    }
}
