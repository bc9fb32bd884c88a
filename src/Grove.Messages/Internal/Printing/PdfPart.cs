namespace Grove.Messages.Internal.Printing;

/// <summary>Where one indirect object of a part lies: from its <c>n g obj</c> to the next object (or the xref).</summary>
internal readonly record struct PdfObjectSpan(int Number, int Start, int End);

/// <summary>
/// One PDF as PDFsharp saves a new document: a classic cross-reference table (no object streams, no xref stream), a
/// trailer naming the catalog and the info dictionary, the catalog naming the page tree's root. Parsed only as far
/// as <see cref="PdfMerger"/> needs: the objects' byte ranges and those three object numbers.
/// </summary>
internal sealed class PdfPart
{
    private PdfPart(ReadOnlyMemory<byte> bytes, PdfObjectSpan[] objects, int size, int root, int info, int pages)
    {
        Bytes = bytes;
        Objects = objects;
        Size = size;
        Root = root;
        Info = info;
        Pages = pages;
    }

    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The objects in use, in the order they lie in the file.</summary>
    public PdfObjectSpan[] Objects { get; }

    /// <summary>One more than the highest object number.</summary>
    public int Size { get; }

    public int Root { get; }

    public int Info { get; }

    /// <summary>The root of the part's page tree.</summary>
    public int Pages { get; }

    /// <exception cref="FormatException">Not a PDF of that form.</exception>
    public static PdfPart Parse(ReadOnlyMemory<byte> bytes)
    {
        var pdf = bytes.Span;
        var startxref = pdf.LastIndexOf("startxref"u8);
        if (startxref < 0)
        {
            throw new FormatException("the part has no startxref");
        }

        var lx = new PdfLexer(pdf, startxref + 9);
        lx.Next();
        var xref = checked((int)lx.Integer);
        lx = new PdfLexer(pdf, xref);
        lx.Next();
        if (!lx.Is("xref"u8))
        {
            throw new FormatException("the part has no classic cross-reference table");
        }

        var found = new List<(int Number, int Offset)>();
        var size = 0;
        while (lx.Next() == PdfTokenKind.Integer)
        {
            var first = checked((int)lx.Integer);
            lx.Next();
            var count = checked((int)lx.Integer);
            size = Math.Max(size, first + count);
            for (var i = 0; i < count; i++)
            {
                lx.Next();
                var offset = checked((int)lx.Integer);
                lx.Next();
                lx.Next();
                if (lx.Is("n"u8))
                {
                    found.Add((first + i, offset));
                }
            }
        }

        if (!lx.Is("trailer"u8))
        {
            throw new FormatException("the part has no trailer after its cross-reference table");
        }

        var root = RefOf(pdf, lx.Position, "/Root"u8);
        var info = RefOf(pdf, lx.Position, "/Info"u8);
        found.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        var objects = new PdfObjectSpan[found.Count];
        var catalog = -1;
        for (var i = 0; i < found.Count; i++)
        {
            objects[i] = new PdfObjectSpan(found[i].Number, found[i].Offset, i + 1 < found.Count ? found[i + 1].Offset : xref);
            catalog = found[i].Number == root ? found[i].Offset : catalog;
        }

        if (catalog < 0)
        {
            throw new FormatException("the part's catalog is not in its cross-reference table");
        }

        lx = new PdfLexer(pdf, catalog);
        lx.Next();
        lx.Next();
        lx.Next();
        var pages = RefOf(pdf, lx.Position, "/Pages"u8);
        return pages > 0 && pages < size
            ? new PdfPart(bytes, objects, size, root, info, pages)
            : throw new FormatException("the part's catalog names no page tree");
    }

    /// <summary>
    /// The page objects in order when the page tree is one level deep, as PDFsharp writes it (the root's
    /// <c>/Kids</c>); null otherwise.
    /// </summary>
    public int[]? PageObjects(int count)
    {
        var pdf = Bytes.Span;
        var at = Array.Find(Objects, o => o.Number == Pages).Start;
        var lx = new PdfLexer(pdf, at);
        while (lx.Next() is not PdfTokenKind.End and not PdfTokenKind.DictOpen)
        {
        }

        var depth = 1;
        while (lx.Next() != PdfTokenKind.End && depth > 0)
        {
            if (lx.Kind is PdfTokenKind.DictOpen or PdfTokenKind.ArrayOpen)
            {
                depth++;
            }
            else if (lx.Kind is PdfTokenKind.DictClose or PdfTokenKind.ArrayClose)
            {
                depth--;
            }
            else if (depth == 1 && lx.Kind == PdfTokenKind.Name && lx.Text.SequenceEqual("/Kids"u8) && lx.Next() == PdfTokenKind.ArrayOpen)
            {
                var kids = new List<int>(count);
                while (lx.Next() == PdfTokenKind.Integer)
                {
                    kids.Add(checked((int)lx.Integer));
                    lx.Next();
                    lx.Next();
                }

                return kids.Count == count ? [.. kids] : null;
            }
        }

        return null;
    }

    /// <summary>The object number the dictionary at <paramref name="at"/> gives <paramref name="key"/> (0 when none).</summary>
    private static int RefOf(ReadOnlySpan<byte> pdf, int at, ReadOnlySpan<byte> key)
    {
        var lx = new PdfLexer(pdf, at);
        var depth = 0;
        while (true)
        {
            switch (lx.Next())
            {
                case PdfTokenKind.DictOpen or PdfTokenKind.ArrayOpen:
                    depth++;
                    break;
                case PdfTokenKind.DictClose or PdfTokenKind.ArrayClose:
                    if (--depth <= 0)
                    {
                        return 0;
                    }

                    break;
                case PdfTokenKind.Name when depth == 1 && lx.Text.SequenceEqual(key):
                    var after = lx.Position;
                    if (lx.Next() == PdfTokenKind.Integer)
                    {
                        var n = lx.Integer;
                        if (lx.Next() == PdfTokenKind.Integer && lx.Next() == PdfTokenKind.Keyword && lx.Text.SequenceEqual("R"u8))
                        {
                            return checked((int)n);
                        }
                    }

                    lx.Position = after;
                    break;
                case PdfTokenKind.End:
                    return 0;
            }
        }
    }
}
