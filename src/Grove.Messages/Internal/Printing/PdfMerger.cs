using System.Buffers;
using System.Buffers.Text;
using System.Globalization;

namespace Grove.Messages.Internal.Printing;

/// <summary>
/// Writes one PDF out of parts (PDFs PDFsharp saved) as they come, at the byte level: each part's objects are
/// renumbered after the objects already written and copied out at once (streams verbatim), its page tree hung under
/// one root Pages node, its catalog and info dropped. What stays in memory is 8 bytes per object written (its offset,
/// for the cross-reference table at the end) and 4 per part (its page tree, a kid of the root): the output streams
/// and memory stays flat whatever the page count.
/// </summary>
internal sealed partial class PdfMerger(Stream output) : IAsyncDisposable
{
    private const int CatalogNumber = 1;
    private const int PagesNumber = 2;
    private const int InfoNumber = 3;
    private const int OutlinesNumber = 4;

    private readonly DrainStream _out = new();
    private readonly List<long> _offsets = [0, 0, 0, 0];
    private readonly List<int> _kids = [];

    /// <summary>Pages appended so far.</summary>
    public int Pages { get; private set; }

    /// <summary>Bytes written so far (drained or not).</summary>
    public long Length => _out.Position;

    /// <summary>
    /// Appends a part holding <paramref name="messages"/> one after the other (a bookmark each, at its first page);
    /// call <see cref="DrainAsync"/> to send them on.
    /// </summary>
    /// <exception cref="FormatException">The part is not a PDF as PDFsharp saves a new document.</exception>
    public void Append(ReadOnlyMemory<byte> bytes, IReadOnlyList<(string Title, int Pages)> messages)
    {
        var pages = messages.Sum(m => m.Pages);
        var part = PdfPart.Parse(bytes);
        var pdf = bytes.Span;
        if (_out.Position == 0)
        {
            // Note that the part's version line is kept (the parts need no more than it says), then a binary comment.
            var eol = pdf.IndexOfAny((byte)'\r', (byte)'\n');
            _out.Write(pdf[..eol]);
            _out.Write([(byte)'\n', (byte)'%', 0xE2, 0xE3, 0xCF, 0xD3, (byte)'\n']);
        }

        // Note that every part object gets its number before any is written: references point forward as well as back.
        var map = new int[part.Size];
        var next = _offsets.Count;
        foreach (var o in part.Objects)
        {
            if (o.Number != part.Root && o.Number != part.Info)
            {
                map[o.Number] = ++next;
            }
        }

        foreach (var o in part.Objects)
        {
            if (map[o.Number] != 0)
            {
                _offsets.Add(_out.Position);
                Copy(pdf, o, map, o.Number == part.Pages);
            }
        }

        _kids.Add(map[part.Pages]);
        Pages += pages;
        if (part.PageObjects(pages) is { } pageObjects)
        {
            var first = 0;
            foreach (var (title, count) in messages)
            {
                Bookmark(title, map[pageObjects[first]]);
                first += count;
            }
        }
    }

    /// <summary>Sends what was appended to the output.</summary>
    public Task DrainAsync(CancellationToken ct) => _out.DrainAsync(output, ct);

    /// <summary>Writes the catalog, the root of the page tree, the info, the cross-reference table and the trailer.</summary>
    public async Task FinishAsync(DateTimeOffset now, CancellationToken ct)
    {
        _offsets[PagesNumber - 1] = _out.Position;
        Ascii($"{PagesNumber} 0 obj\n<< /Type /Pages /Count {Pages} /Kids [");
        foreach (var kid in _kids)
        {
            Ascii($" {kid} 0 R");
        }

        Ascii(" ] >>\nendobj\n");
        var outlines = FinishOutlines();
        _offsets[CatalogNumber - 1] = _out.Position;
        Ascii($"{CatalogNumber} 0 obj\n<< /Type /Catalog /Pages {PagesNumber} 0 R{(outlines ? $" /Outlines {OutlinesNumber} 0 R /PageMode /UseOutlines" : "")} >>\nendobj\n");
        _offsets[InfoNumber - 1] = _out.Position;
        Ascii($"{InfoNumber} 0 obj\n<< /Title (Grove messages) /Creator (Grove) /Producer (Grove, parts by PDFsharp) /CreationDate (D:{now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}Z) >>\nendobj\n");

        var xref = _out.Position;
        Ascii($"xref\n0 {_offsets.Count + 1}\n0000000000 65535 f\r\n");
        var entry = new byte[20];
        " 00000 n\r\n"u8.CopyTo(entry.AsSpan(10));
        for (var i = 0; i < _offsets.Count; i++)
        {
            Utf8Formatter.TryFormat(_offsets[i], entry, out _, new StandardFormat('D', 10));
            _out.Write(entry);
            if ((i & 0xFFF) == 0xFFF)
            {
                await DrainAsync(ct);
            }
        }

        var id = Convert.ToHexString(Guid.NewGuid().ToByteArray());
        Ascii($"trailer\n<< /Size {_offsets.Count + 1} /Root {CatalogNumber} 0 R /Info {InfoNumber} 0 R /ID [<{id}> <{id}>] >>\nstartxref\n{xref}\n%%EOF\n");
        await DrainAsync(ct);
    }

    public ValueTask DisposeAsync() => _out.DisposeAsync();

    /// <summary>One object renumbered: its references rewritten up to <c>stream</c> or <c>endobj</c>, the rest verbatim.</summary>
    private void Copy(ReadOnlySpan<byte> pdf, PdfObjectSpan o, int[] map, bool pagesRoot)
    {
        var lx = new PdfLexer(pdf[..o.End], o.Start);
        lx.Next();
        lx.Next();
        lx.Next();
        if (!lx.Is("obj"u8))
        {
            throw new FormatException($"no object at byte {o.Start} of the part");
        }

        Number(map[o.Number]);
        _out.Write(" 0 obj"u8);
        var copied = lx.Position;
        (PdfTokenKind Kind, int Start, long Value) back1 = default, back2 = default;
        while (true)
        {
            var kind = lx.Next();
            if (kind == PdfTokenKind.End || (kind == PdfTokenKind.Keyword && (lx.Is("stream"u8) || lx.Is("endobj"u8))))
            {
                break;
            }

            if (kind == PdfTokenKind.DictOpen && pagesRoot)
            {
                // Note that a page tree node under the root must name its parent (PDF 1.7, 7.7.3.2).
                _out.Write(pdf[copied..lx.Position]);
                Ascii($" /Parent {PagesNumber} 0 R");
                copied = lx.Position;
                pagesRoot = false;
            }
            else if (kind == PdfTokenKind.Keyword && lx.Is("R"u8) && back1.Kind == PdfTokenKind.Integer && back2.Kind == PdfTokenKind.Integer)
            {
                _out.Write(pdf[copied..back2.Start]);
                var to = back2.Value > 0 && back2.Value < map.Length ? map[back2.Value] : 0;
                if (to == 0)
                {
                    // Note that a reference to an object not written (the part's catalog or info) reads as null (7.3.10).
                    _out.Write("null"u8);
                }
                else
                {
                    Number(to);
                    _out.Write(" 0 R"u8);
                }

                copied = lx.Position;
            }

            back2 = back1;
            back1 = (kind, lx.Start, kind == PdfTokenKind.Integer ? lx.Integer : 0);
        }

        _out.Write(pdf[copied..o.End]);
    }

    private void Number(long n)
    {
        Span<byte> b = stackalloc byte[20];
        Utf8Formatter.TryFormat(n, b, out var written);
        _out.Write(b[..written]);
    }

    private void Ascii(string s)
    {
        Span<byte> b = s.Length <= 256 ? stackalloc byte[s.Length] : new byte[s.Length];
        System.Text.Encoding.ASCII.GetBytes(s, b);
        _out.Write(b);
    }
}
