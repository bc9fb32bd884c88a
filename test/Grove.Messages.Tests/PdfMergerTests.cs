using System.Text;
using Grove.Messages.Internal.Printing;
using Xunit.Abstractions;

namespace Grove.Messages.Tests;

public sealed class PdfMergerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Append_ReferenceInsideAStringAndForwardReferences_StringsVerbatimReferencesRenumbered()
    {
        using var merged = new MemoryStream();
        await using (var merger = new PdfMerger(merged))
        {
            merger.Append(Part("(a (nested) 4 0 R \\) string)"), [("第一", 1)]);
            merger.Append(Part("<3420302052>"), [("B", 1)]);
            await merger.FinishAsync(DateTimeOffset.UnixEpoch, default);
        }

        var text = Encoding.Latin1.GetString(merged.ToArray());
        text.ShouldContain("/Note (a (nested) 4 0 R \\) string)");
        text.ShouldContain("/Note <3420302052>");
        text.ShouldStartWith("%PDF-1.4\n");
        text.ShouldContain("/Type /Pages /Count 2 /Kids [ 5 0 R 9 0 R ]");
        text.ShouldContain("<< /Parent 2 0 R /Type /Pages /Kids [6 0 R] /Count 1 >>", Case.Sensitive, "the part's page tree hangs under the root");
        text.ShouldContain("/Parent 5 0 R /Contents 7 0 R");
        text.ShouldContain("/Parent 9 0 R /Contents 11 0 R");
        text.ShouldContain("8 0 obj\n<< /Title <FEFF7B2C4E00> /Parent 4 0 R /Dest [6 0 R /Fit] /Next 12 0 R >>", Case.Sensitive, "a bookmark per message, at its first page");
        text.ShouldContain("12 0 obj\n<< /Title <FEFF0042> /Parent 4 0 R /Dest [10 0 R /Fit] /Prev 8 0 R >>");
        text.ShouldContain("/Outlines 4 0 R");
        if (PdfText.Available(output))
        {
            (await PdfText.PagesAsync(merged.ToArray())).ShouldBe(2);
        }
    }

    [Fact]
    public async Task Append_ObjectStreams_RefusedAsNotAPart()
    {
        using var merged = new MemoryStream();
        await using var merger = new PdfMerger(merged);
        Should.Throw<FormatException>(() => merger.Append(Encoding.ASCII.GetBytes("%PDF-1.5\n1 0 obj\n<< /Type /XRef >>\nstream\nx\nendstream\nendobj\nstartxref\n9\n%%EOF\n"), [("x", 1)]));
    }

    /// <summary>A part as PDFsharp lays one out (objects out of number order, a forward reference), with a note to copy.</summary>
    private static byte[] Part(string note)
    {
        var objects = new (int Number, string Body)[]
        {
            (1, "<< /Type /Catalog /Pages 3 0 R >>"),
            (3, "<< /Type /Pages /Kids [4 0 R] /Count 1 >>"),
            (4, $"<< /Type /Page /MediaBox [0 0 100 100] /Parent 3 0 R /Contents 5 0 R /Note {note} >>"),
            (5, "<< /Length 11 >>\nstream\n0 0 m 1 1 l\nendstream"),
            (2, "<< /Title (info 1 0 R) >>"),
        };
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new long[6];
        foreach (var (number, body) in objects)
        {
            offsets[number] = pdf.Length;
            pdf.Append($"{number} 0 obj\n{body}\nendobj\n");
        }

        var xref = pdf.Length;
        pdf.Append("xref\n0 6\n0000000000 65535 f\r\n");
        foreach (var offset in offsets.Skip(1))
        {
            pdf.Append($"{offset:D10} 00000 n\r\n");
        }

        pdf.Append($"trailer\n<< /Size 6 /Root 1 0 R /Info 2 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(pdf.ToString());
    }
}
