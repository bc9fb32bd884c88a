using System.Text;
using Grove.Config;

namespace Grove.Messages.Tests;

/// <summary>A real tree (SQLite in a temp folder, or a PostgreSQL store), a config center over it, and the message engine.</summary>
public sealed class MessageHarness : IAsyncDisposable
{
    public const string WaybillMapping = """
        {
          "format": "json",
          "sourceId": "header.msgId",
          "keys": ["waybillNo"],
          "fields": [
            {"path": "header.waybillNo", "name": "waybillNo", "display": "运单号", "required": true},
            {"path": "header.shipper", "name": "shipper", "display": "发货人"},
            {"path": "header.weight", "name": "weight", "display": "重量", "type": "decimal"},
            {"path": "header.pieces", "name": "pieces", "display": "件数", "type": "integer", "default": "1"},
            {"path": "header.sentAt", "name": "sentAt", "display": "发送时间", "type": "date-time"},
            {"path": "header.status", "name": "status", "display": "状态", "type": "enum", "labels": {"1": "已发货", "2": "已签收"}}
          ],
          "detail": {"path": "items", "name": "items", "display": "货物明细", "fields": [
            {"path": "sku", "name": "sku", "display": "货号", "required": true},
            {"path": "qty", "name": "qty", "display": "数量", "type": "integer"}
          ]},
          "print": {"title": "运单 {waybillNo}", "sections": [{"title": "基本信息", "fields": ["waybillNo", "shipper", "status"]}], "columns": ["sku", "qty"]}
        }
        """;

    private readonly TempFolder _folder = new();

    private MessageHarness()
    {
    }

    public TreeService Tree { get; private set; } = null!;

    public ConfigEngine Config { get; private set; } = null!;

    public MessageEngine Messages { get; private set; } = null!;

    public static async Task<MessageHarness> OpenAsync(string? store = null, MessageOptions? options = null)
    {
        var h = new MessageHarness();
        h.Tree = await TreeService.OpenAsync(new TreeOptions { DataPath = h._folder.Combine("data"), Store = store ?? "sqlite", LockDataFolder = store is null });
        h.Config = await ConfigEngine.OpenAsync(h.Tree, new ConfigOptions { RunTimers = false, MasterKey = new byte[32] });
        h.Messages = await MessageEngine.OpenAsync(h.Tree, h.Config, options);
        return h;
    }

    public Task<PublishResult> PublishAsync(string partner, string type, string content, ConfigType configType = ConfigType.Json) =>
        Config.PublishAsync(new PublishRequest { Key = ConfigKey.Create(MessageMapping.DataId(partner, type), MessageMapping.ConfigGroup), Content = content, Type = configType });

    public Task<ReceiveResult> SendAsync(string partner, string type, string body, string? sourceId = null, string? idempotencyKey = null) =>
        Messages.ReceiveAsync(new ReceiveRequest { Partner = partner, Type = type, Body = Encoding.UTF8.GetBytes(body), SourceId = sourceId, IdempotencyKey = idempotencyKey });

    public static string Waybill(string msgId, string waybillNo, int items = 2, string shipper = "张三", string weight = "12.5", string status = "1") =>
        $$"""
        {"header": {"msgId": "{{msgId}}", "waybillNo": "{{waybillNo}}", "shipper": "{{shipper}}", "weight": {{weight}}, "sentAt": "2026-12-01T08:30:00+08:00", "status": "{{status}}"},
         "items": [{{string.Join(",", Enumerable.Range(1, items).Select(i => $$"""{"sku": "货-{{i}}", "qty": {{i}}}"""))}}]}
        """;

    public async ValueTask DisposeAsync()
    {
        await Messages.DisposeAsync();
        await Config.DisposeAsync();
        await Tree.DisposeAsync();
        _folder.Dispose();
    }
}
