using System.Net;
using System.Text;
using Grove.Config;
using Grove.Messages;

namespace Grove.Server.Tests.Messages;

/// <summary>The receive route reads a body into a pooled buffer: with or without Content-Length, larger than one read, kept exactly.</summary>
public sealed class MessageBodyReadTests
{
    private const string Mapping = """{"fields": [{"path": "waybillNo", "name": "waybillNo", "display": "运单号", "required": true}]}""";

    [Fact]
    public async Task Post_ChunkedBodyLargerThanOneRead_StoredByteForByteAndOverLimitRefused()
    {
        await using var server = await RunningServer.StartAsync();
        await server.Server.ConfigCenter.PublishAsync(new PublishRequest { Key = ConfigKey.Create("acme.waybill", MessageMapping.ConfigGroup), Content = Mapping, Type = ConfigType.Json });
        var admin = await server.AdminAsync();
        var body = Encoding.UTF8.GetBytes($$"""{"waybillNo": "WB1", "note": "{{string.Concat(Enumerable.Repeat("备注", 20_000))}}"}""");

        // Note that a stream content of unknown length is sent chunked: no Content-Length to size the buffer by.
        using var chunked = new StreamContent(new NoLengthStream(body));
        chunked.Headers.ContentType = new("application/json");
        var created = await (await admin.PostAsync("/api/v1/messages/acme/waybill?sourceId=c-1", chunked)).JsonAsync(HttpStatusCode.Created);
        using var original = await admin.GetAsync($"/api/v1/messages/{created.GetProperty("id").GetInt64()}/original");
        (await original.Content.ReadAsByteArrayAsync()).ShouldBe(body);

        var sized = await (await admin.PostAsync("/api/v1/messages/acme/waybill?sourceId=c-2", new ByteArrayContent(body))).JsonAsync(HttpStatusCode.Created);
        sized.GetProperty("id").GetInt64().ShouldNotBe(created.GetProperty("id").GetInt64());

        var big = new byte[(1 << 20) + 10];
        Array.Fill(big, (byte)' ');
        using var tooBig = new StreamContent(new NoLengthStream(big));
        await (await admin.PostAsync("/api/v1/messages/acme/waybill?sourceId=c-3", tooBig)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "too_large");
        (await (await admin.GetAsync("/api/v1/messages?partner=acme")).JsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(2);
    }

    private sealed class NoLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
