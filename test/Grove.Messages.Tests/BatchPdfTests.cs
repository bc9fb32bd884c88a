using System.Text.RegularExpressions;
using Grove.Messages.Internal.Printing;
using Xunit.Abstractions;

namespace Grove.Messages.Tests;

/// <summary>A batch printed as one PDF: parts rendered by PDFsharp, merged at the byte level and streamed.</summary>
public sealed class BatchPdfTests(ITestOutputHelper output) : IAsyncLifetime
{
    private MessageHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await MessageHarness.OpenAsync();
        await _h.PublishAsync("acme", "waybill", MessageHarness.WaybillMapping);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task PrintBatch_Pdf300Messages_EveryPageAndTheFirstAndLastMessageRead()
    {
        if (!PdfText.Available(output))
        {
            return;
        }

        var ids = new List<long>();
        for (var i = 0; i < 300; i++)
        {
            ids.Add((await _h.SendAsync("acme", "waybill", MessageHarness.Waybill($"m-{i}", $"WB-{i:D3}", items: i % 100 == 7 ? 120 : 2, shipper: "上海浦东仓库"))).Id);
        }

        var shortPages = await PagesOfAsync(ids[0]);
        var longPages = await PagesOfAsync(ids[7]);
        longPages.ShouldBeGreaterThan(shortPages);

        using var pdf = new MemoryStream();
        var pages = await _h.Messages.PrintBatchAsync(new MessageQuery { Partner = "acme", Limit = 200 }, pdf, BatchFormat.Pdf);

        pages.ShouldBe((297 * shortPages) + (3 * longPages), "the sum of the messages' pages");
        (await PdfText.PagesAsync(pdf.ToArray())).ShouldBe(pages);
        EveryXrefEntryPointsAtItsObject(pdf.ToArray()).ShouldBeGreaterThan(pages * 2);
        var text = await PdfText.ReadAsync(pdf.ToArray());
        text.ShouldContain("WB-000");
        text.ShouldContain("WB-299");
        text.ShouldContain("上海浦东仓库");
        text.ShouldContain("货-120");
        Regex.Matches(text, @"WB-\d{3}").Select(m => m.Value).Distinct().Count().ShouldBe(300);
        Regex.Matches(Regex.Replace(text, @"\s+", ""), $"第{longPages}/{longPages}页").Count.ShouldBe(3, "each message keeps its own page numbers");

        var outline = await PdfText.OutlineAsync(pdf.ToArray());
        outline.Count.ShouldBe(300, "a bookmark per message");
        outline[0].Page.ShouldBe(1);
        outline.Select(o => o.Title).ShouldContain("运单 WB-299");
        outline.Select(o => o.Title).Distinct().Count().ShouldBe(300);
        outline.Zip(outline.Skip(1)).Select(p => p.Second.Page - p.First.Page).Order().Distinct().ShouldBe([shortPages, longPages], "each bookmark at its message's first page");
    }

    [Fact]
    public async Task PrintOneDocument_400Messages_FirstBytesOutAfterOnePartAndWritesBoundedByAPart()
    {
        if (!PdfText.Available(output))
        {
            return;
        }

        var view = await _h.Messages.GetAsync((await _h.SendAsync("acme", "waybill", MessageHarness.Waybill("s-1", "WB-S1"))).Id);
        var source = new Views(view, 400);
        await using var sink = new Sink(() => source.Pulled);

        var pages = await MessagePrinter.PrintOneDocumentAsync(source.AllAsync(), sink, null, DateTimeOffset.UnixEpoch, default);

        pages.ShouldBe(400);
        sink.PulledAtFirstWrite.ShouldBe(MessagePrinter.PartMessages, "the first part is out before the second is rendered");
        sink.Writes.ShouldBeGreaterThan(400 / MessagePrinter.PartMessages);
        sink.LargestWrite.ShouldBeLessThan(sink.Length / 4, "no write holds more than a part");
        (await PdfText.PagesAsync(sink.ToArray())).ShouldBe(400);
        (await PdfText.ReadAsync(sink.ToArray())).ShouldContain("WB-S1");
    }

    [Fact]
    public async Task PrintOneDocument_ClientGoneAfterTheFirstPart_StopsRendering()
    {
        if (!PdfText.Available(output))
        {
            return;
        }

        var view = await _h.Messages.GetAsync((await _h.SendAsync("acme", "waybill", MessageHarness.Waybill("c-1", "WB-C1"))).Id);
        var source = new Views(view, 1_000);
        using var gone = new CancellationTokenSource();
        await using var sink = new Sink(() => source.Pulled) { OnFirstWrite = gone.Cancel };

        var thrown = await Should.ThrowAsync<Exception>(() => MessagePrinter.PrintOneDocumentAsync(source.AllAsync(), sink, null, DateTimeOffset.UnixEpoch, gone.Token));

        thrown.ShouldBeAssignableTo<OperationCanceledException>();
        source.Pulled.ShouldBeLessThanOrEqualTo(sink.PulledAtFirstWrite + 1, "no message rendered after the client went");
    }

    /// <summary>Reads the cross-reference table and checks each entry's offset starts <c>n 0 obj</c>; returns how many there are.</summary>
    private static int EveryXrefEntryPointsAtItsObject(byte[] pdf)
    {
        var text = System.Text.Encoding.Latin1.GetString(pdf);
        var at = int.Parse(Regex.Match(text, @"startxref\s+(\d+)\s+%%EOF\s*$").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var head = Regex.Match(text[at..], @"^xref\n0 (\d+)\n");
        var count = int.Parse(head.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var entries = at + head.Length;
        text.Substring(entries, 20).ShouldBe("0000000000 65535 f\r\n");
        for (var i = 1; i < count; i++)
        {
            var entry = text.Substring(entries + (20 * i), 20);
            entry.ShouldEndWith(" 00000 n\r\n");
            var offset = int.Parse(entry[..10], System.Globalization.CultureInfo.InvariantCulture);
            text.Substring(offset, $"{i} 0 obj".Length).ShouldBe($"{i} 0 obj");
        }

        return count - 1;
    }

    private async Task<int> PagesOfAsync(long id)
    {
        using var one = new MemoryStream();
        return await _h.Messages.PrintAsync(id, one);
    }

    /// <summary>The same message <c>count</c> times, counting how many were taken; it ignores cancellation on purpose.</summary>
    private sealed class Views(MessageView view, int count)
    {
        private int _pulled;

        public int Pulled => Volatile.Read(ref _pulled);

        public async IAsyncEnumerable<MessageView> AllAsync()
        {
            for (var i = 0; i < count; i++)
            {
                await Task.Yield();
                Interlocked.Increment(ref _pulled);
                yield return view;
            }
        }
    }

    /// <summary>An output that records when the first bytes came and how big each write was; flushing a cancelled answer throws, as a socket does.</summary>
    private sealed class Sink(Func<int> pulled) : MemoryStream
    {

        public Action? OnFirstWrite { get; init; }

        public int Writes { get; private set; }

        public long LargestWrite { get; private set; }

        public int PulledAtFirstWrite { get; private set; } = -1;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Record(buffer.Length);
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task FlushAsync(CancellationToken cancellationToken) =>
            cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

        private void Record(int length)
        {
            if (Writes++ == 0)
            {
                PulledAtFirstWrite = pulled();
                OnFirstWrite?.Invoke();
            }

            LargestWrite = Math.Max(LargestWrite, length);
        }
    }
}
