using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Grove.Config;
using Grove.Messages;

namespace Grove.Server.Tests.Messages;

public sealed class MessageApiTests
{
    private const string Mapping = """
        {"sourceId": "msgId", "keys": ["waybillNo"],
         "fields": [{"path": "waybillNo", "name": "waybillNo", "display": "运单号", "required": true},
                    {"path": "weight", "name": "weight", "display": "重量", "type": "decimal"}],
         "detail": {"path": "items", "name": "items", "display": "明细", "fields": [{"path": "sku", "name": "sku", "display": "货号"}]},
         "print": {"title": "运单 {waybillNo}"}}
        """;

    private static async Task<(RunningServer Server, HttpClient Partner, HttpClient Admin)> StartAsync()
    {
        var server = await RunningServer.StartAsync();
        await server.Server.ConfigCenter.PublishAsync(new PublishRequest { Key = ConfigKey.Create("acme.waybill", MessageMapping.ConfigGroup), Content = Mapping, Type = ConfigType.Json });
        var admin = await server.AdminAsync();
        var acme = await server.UserAsync("acme");
        var key = await (await acme.PostAsJsonAsync("/api/v1/keys", new { name = "acme-system" })).JsonAsync(HttpStatusCode.Created);
        var partner = server.Anonymous();
        partner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Str("key"));
        return (server, partner, admin);
    }

    private static string Body(string id, string waybill, string weight = "1.5") =>
        $$"""{"msgId": "{{id}}", "waybillNo": "{{waybill}}", "weight": {{weight}}, "items": [{"sku": "甲"}, {"sku": "乙"}]}""";

    [Fact]
    public async Task Post_WithPartnerApiKey_StoredOnceShownQueriedAndPrinted()
    {
        var (server, partner, admin) = await StartAsync();
        await using var _ = server;

        var first = await (await partner.PostAsync("/api/v1/messages/acme/waybill", ApiAssertions.Json(Body("m-1", "WB1")))).JsonAsync(HttpStatusCode.Created);
        first.GetProperty("duplicate").GetBoolean().ShouldBeFalse();
        var again = await (await partner.PostAsync("/api/v1/messages/acme/waybill", ApiAssertions.Json(Body("m-1", "other")))).JsonAsync(HttpStatusCode.OK);
        again.GetProperty("id").GetInt64().ShouldBe(first.GetProperty("id").GetInt64());
        again.GetProperty("duplicate").GetBoolean().ShouldBeTrue();

        var shown = await (await partner.GetAsync("/api/v1/messages/acme/by-source/m-1")).JsonAsync();
        shown.GetProperty("fields")[0].Str("display").ShouldBe("运单号");
        shown.GetProperty("detail").GetProperty("rows").GetArrayLength().ShouldBe(2);
        shown.GetProperty("document").Str("waybillNo").ShouldBe("WB1");

        await partner.PostAsync("/api/v1/messages/acme/waybill", ApiAssertions.Json(Body("m-2", "WB2", "30")));
        var page = await (await admin.GetAsync("/api/v1/messages?partner=acme&key.waybillNo=WB2")).JsonAsync();
        page.GetProperty("items").GetArrayLength().ShouldBe(1);
        var heavy = await (await partner.GetAsync("/api/v1/messages?partner=acme&type=waybill&where=" + Uri.EscapeDataString("""{"weight":"[10,)"}"""))).JsonAsync();
        heavy.GetProperty("items")[0].Str("sourceId").ShouldBe("m-2");

        using var pdf = await partner.GetAsync($"/api/v1/messages/{first.GetProperty("id").GetInt64()}/pdf");
        pdf.StatusCode.ShouldBe(HttpStatusCode.OK);
        pdf.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        Encoding.ASCII.GetString((await pdf.Content.ReadAsByteArrayAsync())[..5]).ShouldBe("%PDF-");

        using var zip = await admin.GetAsync("/api/v1/messages/print?partner=acme&format=zip");
        zip.Content.Headers.ContentType!.MediaType.ShouldBe("application/zip");
        using var archive = new System.IO.Compression.ZipArchive(await zip.Content.ReadAsStreamAsync());
        archive.Entries.Count.ShouldBe(2);

        using var batch = await admin.GetAsync("/api/v1/messages/print?partner=acme&format=pdf");
        batch.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        var merged = Encoding.ASCII.GetString(await batch.Content.ReadAsByteArrayAsync());
        merged.ShouldStartWith("%PDF-");
        merged.ShouldContain("/Type /Pages /Count 2 /Kids [");
        merged.TrimEnd().ShouldEndWith("%%EOF");
    }

    [Fact]
    public async Task Post_BadInput_ClearProblemAndNothingStored()
    {
        var (server, partner, admin) = await StartAsync();
        await using var _ = server;

        var missing = await (await partner.PostAsync("/api/v1/messages/acme/waybill", ApiAssertions.Json("""{"weight": "x"}"""))).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        missing.ShouldContain("运单号");
        await (await partner.PostAsync("/api/v1/messages/acme/waybill", ApiAssertions.Json("{\"waybillNo\": "))).ProblemAsync(HttpStatusCode.BadRequest, "invalid_body");
        await (await partner.PostAsync("/api/v1/messages/acme/nothing", ApiAssertions.Json("{}"))).ProblemAsync(HttpStatusCode.NotFound, "unknown_mapping");
        await (await partner.PostAsync("/api/v1/messages/beta/waybill", ApiAssertions.Json("{}"))).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await partner.GetAsync("/api/v1/messages")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var big = new string('x', (1 << 20) + 10);
        await (await partner.PostAsync("/api/v1/messages/acme/waybill", ApiAssertions.Json($$"""{"waybillNo": "{{big}}"}"""))).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "too_large");
        await (await server.Anonymous().PostAsync("/api/v1/messages/acme/waybill", ApiAssertions.Json(Body("a", "b")))).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");

        var page = await (await admin.GetAsync("/api/v1/messages")).JsonAsync();
        page.GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Soap_WsdlAndSend_SameRulesAsHttp()
    {
        var (server, partner, admin) = await StartAsync();
        await using var _ = server;

        var wsdl = await partner.GetStringAsync("/api/v1/messages/soap?wsdl");
        wsdl.ShouldContain("wsdl:definitions");
        wsdl.ShouldContain("Send");

        static StringContent Envelope(string partnerName, string body) => new($$"""
            <?xml version="1.0" encoding="utf-8"?>
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
              <s:Body><Send xmlns="urn:grove:messages"><partner>{{partnerName}}</partner><type>waybill</type><body>{{System.Security.SecurityElement.Escape(body)}}</body></Send></s:Body>
            </s:Envelope>
            """, Encoding.UTF8, "text/xml");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/messages/soap") { Content = Envelope("acme", Body("soap-1", "WB-SOAP")) };
        request.Headers.Add("SOAPAction", "\"urn:grove:messages/GroveMessages/Send\"");
        using var answer = await partner.SendAsync(request);
        var text = await answer.Content.ReadAsStringAsync();
        answer.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        text.ShouldContain("<Duplicate>false</Duplicate>");
        (await (await admin.GetAsync("/api/v1/messages/acme/by-source/soap-1")).JsonAsync()).GetProperty("document").Str("waybillNo").ShouldBe("WB-SOAP");

        using var bad = new HttpRequestMessage(HttpMethod.Post, "/api/v1/messages/soap") { Content = Envelope("acme", "{}") };
        bad.Headers.Add("SOAPAction", "\"urn:grove:messages/GroveMessages/Send\"");
        using var fault = await partner.SendAsync(bad);
        var faultText = await fault.Content.ReadAsStringAsync();
        faultText.ShouldContain("validation_failed");
        faultText.ShouldContain("运单号");
    }

    [Fact]
    public async Task ConfigPublish_InvalidMapping_Refused400NamingTheFieldAndNothingChanges()
    {
        var (server, _, admin) = await StartAsync();
        await using var _ = server;
        var before = server.Server.ConfigCenter.Get(ConfigKey.Create("acme.waybill", MessageMapping.ConfigGroup))!.Revision;

        var bad = """{"content": "{\"fields\": [{\"path\": \"a\", \"name\": \"a\", \"type\": \"money\"}], \"keys\": [\"zz\"]}"}""";
        var detail = await (await admin.PutAsync($"/api/v1/config/items/{MessageMapping.ConfigGroup}/acme.waybill", ApiAssertions.Json(bad))).ProblemAsync(HttpStatusCode.BadRequest, "invalid_mapping");

        detail.ShouldContain("fields[0] (a).type");
        detail.ShouldContain("keys[0]");
        server.Server.ConfigCenter.Get(ConfigKey.Create("acme.waybill", MessageMapping.ConfigGroup))!.Revision.ShouldBe(before);
        var good = """{"content": "{\"fields\": [{\"path\": \"no\", \"name\": \"no\", \"display\": \"单号\"}]}"}""";
        (await admin.PutAsync($"/api/v1/config/items/{MessageMapping.ConfigGroup}/newco.bill", ApiAssertions.Json(good))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }
}
