using System.IO.Compression;
using PdfSharp.Pdf;

namespace Grove.Messages.Internal.Printing;

/// <summary>Messages to PDF: one message, or a batch as one PDF or as a zip of one PDF per message written as it goes.</summary>
internal static class MessagePrinter
{
    /// <summary>Most messages one part holds: the font subset is embedded once per part, so bigger parts cost less CPU and more memory.</summary>
    internal const int PartMessages = 50;

    /// <summary>Most pages one part holds (a part is closed after the message that reaches it).</summary>
    internal const int PartPages = 300;

    public static int Print(MessageView view, Stream output, string? fontPath)
    {
        CjkFontResolver.EnsureInstalled(fontPath);
        using var doc = NewDocument(view.Mapping.Print.Title);
        var pages = new PdfRenderer().Render(doc, view);
        doc.Save(output, closeStream: false);
        return pages;
    }

    /// <summary>
    /// One PDF of every message, streamed: messages are rendered in parts (a PdfDocument of up to
    /// <see cref="PartMessages"/> messages or <see cref="PartPages"/> pages), each saved and merged into the output
    /// by <see cref="PdfMerger"/> and sent on before the next part is rendered.
    /// </summary>
    public static async Task<int> PrintOneDocumentAsync(IAsyncEnumerable<MessageView> views, Stream output, string? fontPath, DateTimeOffset now, CancellationToken ct)
    {
        CjkFontResolver.EnsureInstalled(fontPath);
        await using var merger = new PdfMerger(output);
        using var buffer = new MemoryStream();
        PdfDocument? doc = null;
        var renderer = new PdfRenderer();
        var messages = new List<(string Title, int Pages)>(PartMessages);
        var pages = 0;
        try
        {
            await foreach (var v in views.WithCancellation(ct))
            {
                // Note that a client gone (the answer's token) stops the rendering at the next message, not at the next write.
                ct.ThrowIfCancellationRequested();
                doc ??= NewDocument("messages");
                var n = renderer.Render(doc, v);
                messages.Add((PdfRenderer.Bookmark(v), n));
                pages += n;
                if (messages.Count >= PartMessages || pages >= PartPages)
                {
                    await AppendAsync(merger, doc, messages, buffer, ct);
                    doc.Dispose();
                    (doc, pages) = (null, 0);
                }
            }

            if (doc is not null)
            {
                await AppendAsync(merger, doc, messages, buffer, ct);
            }
        }
        finally
        {
            doc?.Dispose();
        }

        if (merger.Pages == 0)
        {
            // Note that a PDF of nothing cannot be saved: an empty selection is an answer, not a server error.
            throw MessageException.NotFound("no message matches the selection; there is nothing to print");
        }

        await merger.FinishAsync(now, ct);
        return merger.Pages;
    }

    private static async Task AppendAsync(PdfMerger merger, PdfDocument doc, List<(string Title, int Pages)> messages, MemoryStream buffer, CancellationToken ct)
    {
        buffer.SetLength(0);
        doc.Save(buffer, closeStream: false);
        merger.Append(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), messages);
        messages.Clear();
        await merger.DrainAsync(ct);
    }

    public static async Task<int> PrintZipAsync(IAsyncEnumerable<MessageView> views, Stream output, string? fontPath, CancellationToken ct)
    {
        CjkFontResolver.EnsureInstalled(fontPath);
        var pages = 0;
        await using var drain = new DrainStream();
        var zip = new ZipArchive(drain, ZipArchiveMode.Create, leaveOpen: true);
        using var buffer = new MemoryStream();
        await foreach (var v in views.WithCancellation(ct))
        {
            buffer.SetLength(0);
            using (var doc = NewDocument(v.Mapping.Print.Title))
            {
                pages += new PdfRenderer().Render(doc, v);
                doc.Save(buffer, closeStream: false);
            }

            var name = $"{v.Message.Partner}/{v.Message.Type}/{Safe(v.Message.SourceId) ?? PdfRenderer.Number((int)Math.Min(int.MaxValue, v.Message.Id))}.pdf";
            var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
            using (var s = entry.Open())
            {
                buffer.Position = 0;
                buffer.CopyTo(s);
            }

            await drain.DrainAsync(output, ct);
        }

        zip.Dispose();
        await drain.DrainAsync(output, ct);
        return pages;
    }

    private static string? Safe(string? sourceId) =>
        sourceId is null ? null : string.Concat(sourceId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')).TrimStart('.');

    private static PdfDocument NewDocument(string title)
    {
        // Note that the fastest Flate level trades some bytes for time on every page stream and on the embedded font subset.
        var doc = new PdfDocument();
        doc.Options.FlateEncodeMode = PdfFlateEncodeMode.BestSpeed;
        doc.Info.Title = title;
        doc.Info.Creator = "Grove";
        return doc;
    }
}
