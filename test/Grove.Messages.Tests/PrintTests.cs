using System.IO.Compression;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Grove.Messages.Tests;

public sealed class PrintTests(ITestOutputHelper output) : IAsyncLifetime
{
    private MessageHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await MessageHarness.OpenAsync();
        await _h.PublishAsync("acme", "waybill", MessageHarness.WaybillMapping);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Print_LongDetail_TitleFieldsRepeatedHeadersAndPageNumbersInChinese()
    {
        if (!PdfText.Available(output))
        {
            return;
        }

        var r = await _h.SendAsync("acme", "waybill", MessageHarness.Waybill("p-1", "WB777", items: 120, shipper: "上海浦东仓库"));
        using var pdf = new MemoryStream();
        var pages = await _h.Messages.PrintAsync(r.Id, pdf);
        pages.ShouldBeGreaterThan(2);

        var text = await PdfText.ReadAsync(pdf.ToArray());
        text.ShouldContain("运单 WB777");
        text.ShouldContain("基本信息");
        text.ShouldContain("运单号");
        text.ShouldContain("上海浦东仓库");
        text.ShouldContain("已发货");
        text.ShouldContain("货物明细");
        text.ShouldContain("货-120");
        Regex.Matches(text, "货号").Count.ShouldBe(pages);
        var compact = Regex.Replace(text, @"\s+", "");
        compact.ShouldContain($"第1/{pages}页");
        compact.ShouldContain($"第{pages}/{pages}页");
    }

    [Fact]
    public async Task PrintBatch_ZipAndPdf_EveryMessagePrinted()
    {
        if (!PdfText.Available(output))
        {
            return;
        }

        for (var i = 0; i < 5; i++)
        {
            await _h.SendAsync("acme", "waybill", MessageHarness.Waybill($"b-{i}", $"WB-B{i}"));
        }

        using var zip = new MemoryStream();
        var zipPages = await _h.Messages.PrintBatchAsync(new MessageQuery { Partner = "acme", Limit = 2 }, zip, BatchFormat.Zip);
        zip.Position = 0;
        using (var archive = new ZipArchive(zip))
        {
            archive.Entries.Select(e => e.FullName).Order().ShouldBe(Enumerable.Range(0, 5).Select(i => $"acme/waybill/b-{i}.pdf"));
            using var one = new MemoryStream();
            await using (var s = await archive.GetEntry("acme/waybill/b-3.pdf")!.OpenAsync())
            {
                await s.CopyToAsync(one);
            }

            (await PdfText.ReadAsync(one.ToArray())).ShouldContain("WB-B3");
        }

        using var pdf = new MemoryStream();
        var pages = await _h.Messages.PrintBatchAsync(new MessageQuery { Ids = [1, 3] }, pdf, BatchFormat.Pdf);
        pages.ShouldBe(2);
        zipPages.ShouldBe(5);
        var text = await PdfText.ReadAsync(pdf.ToArray());
        text.ShouldContain("WB-B0");
        text.ShouldContain("WB-B2");
        text.ShouldNotContain("WB-B1");
    }
}
