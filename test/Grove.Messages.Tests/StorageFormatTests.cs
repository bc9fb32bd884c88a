using System.IO.Compression;
using System.Text;
using Grove.Messages.Internal.Mapping;
using Grove.Tree.Storage;

namespace Grove.Messages.Tests;

/// <summary>
/// How a received message is kept on SQLite (document and original compressed with Zstandard), rows written by the
/// first version (document as text, original as Brotli) still read and filtered, and the one-pass mapper's rules.
/// </summary>
public sealed class StorageFormatTests : IAsyncLifetime
{
    private MessageHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await MessageHarness.OpenAsync();
        await _h.PublishAsync("acme", "waybill", MessageHarness.WaybillMapping);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Receive_Sqlite_DocumentAndOriginalStoredCompressed_ReadAndFilteredAsBefore()
    {
        var body = MessageHarness.Waybill("m-1", "WB001", shipper: "上海仓库");
        var r = await _h.SendAsync("acme", "waybill", body);

        var (docType, bodyMagic, docMagic) = await RowAsync(r.Id);
        docType.ShouldBe("blob");
        bodyMagic.ShouldBe("28B52FFD", "the original is a Zstandard frame");
        docMagic.ShouldBe("28B52FFD", "the document is a Zstandard frame");

        Encoding.UTF8.GetString(await _h.Messages.GetOriginalAsync(r.Id)).ShouldBe(body);
        var view = await _h.Messages.GetAsync(r.Id);
        view.Message.Document.ShouldContain("\"shipper\":\"上海仓库\"");
        var found = await _h.Messages.QueryAsync(new MessageQuery { Partner = "acme", Where = """{"shipper": "上海*", "weight": "[12,13)"}""" });
        found.Items.Select(m => m.Id).ShouldBe([r.Id]);
    }

    [Fact]
    public async Task Query_RowsOfTheFirstVersion_TextDocumentAndBrotliOriginal_StillReadAndFiltered()
    {
        var r = await _h.SendAsync("acme", "waybill", MessageHarness.Waybill("m-2", "WB002"));
        var old = MessageHarness.Waybill("m-old", "WB-OLD", shipper: "北京");
        const string OldDoc = """{"waybillNo":"WB-OLD","shipper":"北京","weight":12.5,"pieces":1,"sentAt":"2026-12-01T00:30:00.000Z","status":"1","items":[]}""";
        var brotli = new byte[BrotliEncoder.GetMaxCompressedLength(old.Length * 3)];
        BrotliEncoder.TryCompress(Encoding.UTF8.GetBytes(old), brotli, out var written, 5, 22).ShouldBeTrue();
        var oldId = await InsertOldRowAsync(r.Revision, OldDoc, brotli[..written]);

        (await RowAsync(oldId)).DocType.ShouldBe("text");
        Encoding.UTF8.GetString(await _h.Messages.GetOriginalAsync(oldId)).ShouldBe(old);
        (await _h.Messages.FindAsync("acme", "m-old")).Fields.ShouldContain(f => f.Name == "shipper" && f.Value == "北京");
        var found = await _h.Messages.QueryAsync(new MessageQuery { Partner = "acme", Where = """{"shipper": "北京"}""" });
        found.Items.Select(m => m.Id).ShouldBe([oldId]);
        (await _h.Messages.QueryAsync(new MessageQuery { Partner = "acme", Limit = 10 })).Items.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Receive_PathsThroughArraysEscapedAndRepeatedNames_FirstItemAndFirstNameWin()
    {
        await _h.PublishAsync("acme", "paths", """
            {"fields": [
              {"path": "a.b", "name": "first", "display": "甲"},
              {"path": "key", "name": "escaped", "display": "乙"},
              {"path": "dup", "name": "dup", "display": "丙"},
              {"path": "list", "name": "list", "display": "丁"},
              {"path": "n", "name": "n", "display": "戊", "type": "decimal"},
              {"path": "gone", "name": "gone", "display": "己", "default": "无"}
            ]}
            """);
        var r = await _h.SendAsync("acme", "paths", """{"a": [{"b": "x"}, {"b": "y"}], "k\u0065y": "v\"q", "dup": "1", "dup": "2", "list": ["l1", "l2"], "n": 12.50, "gone": null}""");
        var doc = (await _h.Messages.GetAsync(r.Id)).Message.Document;
        doc.ShouldBe("""{"first":"x","escaped":"v\"q","dup":"1","list":"l1","n":12.50,"gone":"无"}""");
    }

    [Theory]
    [InlineData("2026-12-01T08:30:00+08:00", "2026-12-01T00:30:00.000Z")]
    [InlineData("2026-12-01T08:30:00", "2026-12-01T00:30:00.000Z")]
    [InlineData("2026-12-01 08:30:00-05:00", "2026-12-01T13:30:00.000Z")]
    [InlineData("2026-12-01T08:30:00.1239Z", "2026-12-01T08:30:00.123Z")]
    [InlineData(" 2026-12-01T08:30:00Z ", "2026-12-01T08:30:00.000Z")]
    [InlineData("2026-12-01", "2026-11-30T16:00:00.000Z")]
    [InlineData("2024-02-29T23:59:59+00:00", "2024-02-29T23:59:59.000Z")]
    public void ConvertDate_IsoShapes_SameAsTheGeneralParser(string raw, string stored)
    {
        var field = new MappingField { Path = "t", Name = "t", Display = "时间", Type = FieldType.DateTime };
        ValueConverter.ConvertDate(field, raw, out var text).ShouldBeNull();
        text.ShouldBe(stored);
    }

    [Theory]
    [InlineData("2026-02-30T00:00:00")]
    [InlineData("2026-13-01T00:00:00")]
    [InlineData("2026-12-01T24:00:00")]
    [InlineData("yesterday")]
    public void ConvertDate_NotADate_SaysWhy(string raw)
    {
        var field = new MappingField { Path = "t", Name = "t", Display = "时间", Type = FieldType.DateTime };
        ValueConverter.ConvertDate(field, raw, out _).ShouldNotBeNull();
    }

    private async Task<(string DocType, string BodyMagic, string DocMagic)> RowAsync(long id)
    {
        await using var c = await _h.Tree.Engines.OpenConnectionAsync(default);
        await using var cmd = EngineStorage.Command(c, null, "SELECT typeof(doc), hex(substr(body, 1, 4)), hex(substr(doc, 1, 4)) FROM grove_msg_messages WHERE id = @id");
        EngineStorage.Parameter(cmd, "id", id);
        await using var r = await cmd.ExecuteReaderAsync();
        (await r.ReadAsync()).ShouldBeTrue();
        return (r.GetString(0), r.GetString(1), r.GetString(2));
    }

    private async Task<long> InsertOldRowAsync(long revision, string doc, byte[] body)
    {
        await using var c = await _h.Tree.Engines.OpenConnectionAsync(default);
        await using var cmd = EngineStorage.Command(c, null, """
            INSERT INTO grove_msg_messages (partner, type, received, source_id, rev, k1, fmt, doc, body)
            VALUES ('acme', 'waybill', 1764549000000, 'm-old', @rev, @k1, 0, @doc, @body) RETURNING id
            """);
        EngineStorage.Parameter(cmd, "rev", revision);
        EngineStorage.Parameter(cmd, "k1", "waybillNo\u001fWB-OLD");
        EngineStorage.Parameter(cmd, "doc", doc);
        EngineStorage.Parameter(cmd, "body", body);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
