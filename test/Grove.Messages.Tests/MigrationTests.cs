using System.Text;
using System.Text.Json;
using Grove.Config;

namespace Grove.Messages.Tests;

/// <summary><see cref="MessageEngine.MigrateAsync"/> from a SQLite row-per-field table.</summary>
public sealed class MigrationTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Migrate_SqliteWithConfigTable_PublishesMappingsFirstKeepsUnmappedAndVerifies()
    {
        var from = await LegacyTable.SqliteAsync(_temp.Combine("legacy.db"), 60);
        await using var h = await MessageHarness.OpenAsync();
        var seen = new List<MigrationProgress>();

        var report = await h.Messages.MigrateAsync(LegacyTable.Options(from), new SyncProgress(seen));

        report.Ok.ShouldBeTrue(report.ToText());
        report.MappingsPublished.Order().ShouldBe(["compa.waybill", "compb.waybill"]);
        (report.SourceMessages, report.TargetMessages, report.SourceRows).ShouldBe((60, 60, 60 * LegacyTable.RowsPerMessage));
        report.TargetFields.ShouldBe(report.SourceFields);
        report.Unmapped.ShouldBe(120);
        report.Ranges.ShouldBe(9);
        report.SampleChecked.ShouldBeGreaterThan(5);
        seen.Last().RangesDone.ShouldBe(9);
        seen.Last().Rows.ShouldBe(720);

        var mapping = await h.Messages.GetMappingAsync("compa", "waybill");
        mapping.Fields.Select(f => f.Display).ShouldBe(LegacyTable.Displays);
        mapping.Keys.ShouldBe(["waybillNo"]);

        var view = await h.Messages.FindAsync("compa", "17");
        view.Fields.Single(f => f.Display == "城市").Value.ShouldBe("北京");
        view.Fields.Single(f => f.Name == "附加").Value.ShouldBe("附加值17");
        view.Message.ReceivedAt.ShouldBe(new DateTimeOffset(2026, 11, 1, 8, 0, 17, TimeSpan.FromHours(8)));
        using (var original = JsonDocument.Parse(await h.Messages.GetOriginalAsync(view.Message.Id)))
        {
            original.RootElement.GetProperty("extra1").GetString().ShouldBe("x17");
        }

        (await h.Messages.QueryAsync(new MessageQuery { Keys = new Dictionary<string, string> { ["waybillNo"] = "WB000033" } })).Items.Single().SourceId.ShouldBe("33");
        (await h.Messages.QueryAsync(new MessageQuery { Partner = "compb", Type = "waybill", Limit = 100 })).Items.Count.ShouldBe(20);
    }

    [Fact]
    public async Task Migrate_RowsOfAMessageFarApart_ReadThroughTheIndexAndVerified()
    {
        var from = await LegacyTable.SqliteAsync(_temp.Combine("legacy.db"), 30, interleaved: true);
        await using var h = await MessageHarness.OpenAsync();

        var report = await h.Messages.MigrateAsync(LegacyTable.Options(from));

        report.Ok.ShouldBeTrue(report.ToText());
        (report.TargetMessages, report.TargetFields).ShouldBe((30, report.SourceFields));
        (await h.Messages.FindAsync("compa", "10")).Fields.Select(f => f.Name).Take(3).ShouldBe(["waybillNo", "shipper", "consignee"]);
    }

    [Fact]
    public async Task Migrate_MissingColumn_NamesTheColumnAndFlagAndWritesNothing()
    {
        var from = await LegacyTable.SqliteAsync(_temp.Combine("legacy.db"), 3);
        await using var h = await MessageHarness.OpenAsync();

        var e = await Should.ThrowAsync<MessageException>(() => h.Messages.MigrateAsync(LegacyTable.Options(from) with { FieldColumn = "field_name" }));

        e.Code.ShouldBe(MessageErrorCode.InvalidArgument);
        e.Message.ShouldContain("no column 'field_name' (--field-column)");
        h.Config.Get(ConfigKey.Create("compa.waybill", MessageMapping.ConfigGroup)).ShouldBeNull();
        (await h.Messages.StatsAsync()).Count.ShouldBe(0);
        (await Should.ThrowAsync<MessageException>(() => h.Messages.MigrateAsync(LegacyTable.Options(from) with { Table = "nope" }))).Message.ShouldContain("no table 'nope'");
    }

    [Fact]
    public async Task Migrate_SecondRunWithoutResume_RefusedAndResumeOfFinishedRunMovesNothing()
    {
        var from = await LegacyTable.SqliteAsync(_temp.Combine("legacy.db"), 10);
        await using var h = await MessageHarness.OpenAsync();
        (await h.Messages.MigrateAsync(LegacyTable.Options(from))).Ok.ShouldBeTrue();

        (await Should.ThrowAsync<MessageException>(() => h.Messages.MigrateAsync(LegacyTable.Options(from)))).Message.ShouldContain("--resume");
        var again = await h.Messages.MigrateAsync(LegacyTable.Options(from) with { Resume = true });

        again.Ok.ShouldBeTrue(again.ToText());
        (again.RowsMoved, again.RangesResumed, again.TargetMessages).ShouldBe((0, 2, 10));
    }

    [Fact]
    public async Task Migrate_StoppedHalfwayThroughARange_ResumeEndsWithExactCounts()
    {
        var from = await LegacyTable.SqliteAsync(_temp.Combine("legacy.db"), 50);
        await using var h = await MessageHarness.OpenAsync();
        using var cts = new CancellationTokenSource();
        var options = LegacyTable.Options(from) with { HangAtWrite = 3, Drill = _ => cts.Cancel() };

        await Should.ThrowAsync<OperationCanceledException>(() => h.Messages.MigrateAsync(options, null, cts.Token));
        var partial = (await h.Messages.StatsAsync()).Count;
        partial.ShouldBe(14);

        var report = await h.Messages.MigrateAsync(LegacyTable.Options(from) with { Resume = true });

        report.Ok.ShouldBeTrue(report.ToText());
        (report.RangesResumed, report.TargetMessages, report.SourceMessages).ShouldBe((2, 50, 50));
        (await h.Messages.StatsAsync()).Count.ShouldBe(50);
    }

    [Fact]
    public async Task Migrate_ExistingTypedMapping_ConvertsValuesAndKeepsUnconvertibleAsText()
    {
        var from = await LegacyTable.SqliteAsync(_temp.Combine("legacy.db"), 6);
        await using var h = await MessageHarness.OpenAsync();
        await h.PublishAsync("compa", "waybill", """
            {"fields": [
              {"path": "waybillNo", "name": "no", "display": "运单", "required": true},
              {"path": "weight", "name": "weight", "display": "重量", "type": "decimal"},
              {"path": "city", "name": "city", "display": "城市", "type": "integer"},
              {"path": "remark", "name": "remark", "display": "备注", "default": "无"}
            ]}
            """);

        var report = await h.Messages.MigrateAsync(LegacyTable.Options(from) with { Keys = [] });

        report.Ok.ShouldBeTrue(report.ToText());
        report.MappingsPublished.ShouldBe(["compb.waybill"]);
        report.Unconverted.ShouldBe(4);
        report.Filled.ShouldBe(1);
        var five = await h.Messages.FindAsync("compa", "5");
        five.Document["weight"]!.GetValue<decimal>().ShouldBe(2.5m);
        five.Document["city"]!.GetValue<string>().ShouldBe("北京");
        five.Fields.Single(f => f.Name == "remark").Value.ShouldBe("无");
        five.Fields.Single(f => f.Name == "consignee").Value.ShouldBe("李四");
    }

    private sealed class SyncProgress(List<MigrationProgress> list) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value)
        {
            lock (list)
            {
                list.Add(value);
            }
        }
    }
}
