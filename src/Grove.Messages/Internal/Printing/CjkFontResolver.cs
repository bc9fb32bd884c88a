using System.Buffers.Binary;
using PdfSharp.Fonts;

namespace Grove.Messages.Internal.Printing;

/// <summary>
/// Serves PDFsharp one face for every family: the first face of Debian's <c>wqy-microhei.ttc</c> (Chinese and Latin
/// glyphs, TrueType outlines, so only the glyphs used are embedded). PDFsharp 6 cannot read a font collection, so
/// the face is cut out of it as a plain TrueType file (its table directory copied, table offsets re-based).
/// </summary>
internal sealed class CjkFontResolver : IFontResolver
{
    public const string FaceName = "GroveCjk";

    /// <summary>Where the collection is looked for, first found wins.</summary>
    public static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    ];

    private static readonly Lock Gate = new();
    private static bool _installed;
    private readonly byte[] _face;

    private CjkFontResolver(byte[] face) => _face = face;

    /// <summary>Installs the resolver once per process; throws <c>unavailable</c>-style errors when the font is missing.</summary>
    public static void EnsureInstalled(string? fontPath)
    {
        lock (Gate)
        {
            if (_installed)
            {
                return;
            }

            var path = fontPath ?? Candidates.FirstOrDefault(File.Exists)
                ?? throw new MessageException(MessageErrorCode.InvalidArgument, "printing needs the font wqy-microhei (Debian package fonts-wqy-microhei); none found at " + string.Join(", ", Candidates));
            var bytes = File.ReadAllBytes(path);
            var face = IsCollection(bytes) ? FirstFace(bytes) : bytes;
            GlobalFontSettings.FontResolver = new CjkFontResolver(face);
            _installed = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(FaceName, bold, italic);

    public byte[]? GetFont(string faceName) => _face;

    private static bool IsCollection(byte[] b) => b.Length > 12 && b[0] == 't' && b[1] == 't' && b[2] == 'c' && b[3] == 'f';

    /// <summary>The first face of a TrueType collection as a standalone TrueType file.</summary>
    internal static byte[] FirstFace(byte[] ttc)
    {
        var span = ttc.AsSpan();
        var faceAt = (int)BinaryPrimitives.ReadUInt32BigEndian(span[12..]);
        var tables = BinaryPrimitives.ReadUInt16BigEndian(span[(faceAt + 4)..]);
        var headerLength = 12 + (16 * tables);
        var size = headerLength;
        for (var i = 0; i < tables; i++)
        {
            var rec = span[(faceAt + 12 + (16 * i))..];
            size += (int)((BinaryPrimitives.ReadUInt32BigEndian(rec[12..]) + 3) & ~3u);
        }

        var output = new byte[size];
        span.Slice(faceAt, headerLength).CopyTo(output);
        var at = headerLength;
        for (var i = 0; i < tables; i++)
        {
            var rec = output.AsSpan(12 + (16 * i));
            var offset = (int)BinaryPrimitives.ReadUInt32BigEndian(rec[8..]);
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(rec[12..]);
            span.Slice(offset, length).CopyTo(output.AsSpan(at));
            BinaryPrimitives.WriteUInt32BigEndian(rec[8..], (uint)at);
            at += (length + 3) & ~3;
        }

        return output;
    }
}
