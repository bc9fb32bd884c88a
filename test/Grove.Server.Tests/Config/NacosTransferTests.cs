using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using static Grove.Server.Tests.Config.ConfigKit;

namespace Grove.Server.Tests.Config;

/// <summary>Nacos's export (<c>export=true</c>) and import (<c>import=true</c>, multipart <c>file</c>) as its console and scripts call them.</summary>
public sealed class NacosTransferTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private HttpClient _http = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _server = await StartAsync();
        _http = _server.Anonymous();
        var login = await (await _http.PostAsync("/nacos/v1/auth/login", Form(("username", "admin"), ("password", RunningServer.AdminPassword)))).JsonOkAsync();
        _token = login.GetProperty("accessToken").GetString()!;
        await _server.PutAsync("a.properties", "a=1", "SHOP");
        await _server.PutAsync("b.yaml", "b: 2", "SHOP");
        await _server.PutAsync("c.txt", "c", "OTHER");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<Dictionary<string, string>> ExportAsync(string query)
    {
        using var response = await _http.GetAsync($"/nacos/v1/cs/configs?export=true&accessToken={_token}&{query}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/zip");
        response.Content.Headers.ContentDisposition!.ToString().ShouldContain("nacos_config_export_");
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        return zip.Entries.Where(e => !e.FullName.StartsWith('.')).ToDictionary(e => e.FullName, e => new StreamReader(e.Open()).ReadToEnd());
    }

    private Task<HttpResponseMessage> ImportAsync(byte[] zip, string query)
    {
        var file = new ByteArrayContent(zip);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        var form = new MultipartFormDataContent { { file, "file", "export.zip" } };
        return _http.PostAsync($"/nacos/v1/cs/configs?import=true&accessToken={_token}&{query}", form);
    }

    [Fact]
    public async Task Export_ByGroupDataIdOrIds_AnswersAZipOfGroupSlashDataId()
    {
        (await ExportAsync("tenant=")).Keys.Order().ShouldBe(["OTHER/c.txt", "SHOP/a.properties", "SHOP/b.yaml"]);
        (await ExportAsync("group=SHOP")).ShouldBe(new Dictionary<string, string> { ["SHOP/a.properties"] = "a=1", ["SHOP/b.yaml"] = "b: 2" });
        (await ExportAsync("group=SHOP&dataId=b.yaml")).Keys.ShouldBe(["SHOP/b.yaml"]);

        // The ids of Nacos's listings are the configs' revisions.
        var rev = _server.Held("c.txt", "OTHER")!.Revision;
        (await ExportAsync($"ids={rev}")).Keys.ShouldBe(["OTHER/c.txt"]);
        (await _http.GetAsync($"/nacos/v1/cs/configs?export=true&accessToken={_token}&ids=1,x")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Export_WithoutCredentials_Is403()
    {
        (await _http.GetAsync("/nacos/v1/cs/configs?exportV2=true")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Import_IntoAnotherNamespace_ThenSkipAndAbortOnConflicts()
    {
        using var export = await _http.GetAsync($"/nacos/v1/cs/configs?exportV2=true&group=SHOP&accessToken={_token}");
        var zip = await export.Content.ReadAsByteArrayAsync();

        var first = await (await ImportAsync(zip, "namespace=staging&policy=ABORT")).JsonOkAsync();
        first.GetProperty("code").GetInt32().ShouldBe(200);
        first.GetProperty("data").GetProperty("succCount").GetInt32().ShouldBe(2);
        _server.Held("b.yaml", "SHOP", "staging")!.Content.ShouldBe("b: 2");

        await _server.PutAsync("a.properties", "a=changed", "SHOP", tenant: "staging");
        var skip = await (await ImportAsync(zip, "namespace=staging&policy=SKIP")).JsonOkAsync();
        skip.GetProperty("data").GetProperty("skipCount").GetInt32().ShouldBe(2);
        _server.Held("a.properties", "SHOP", "staging")!.Content.ShouldBe("a=changed", "SKIP leaves existing configs alone");

        var revision = _server.Server.ConfigCenter.Revision;
        var abort = await ImportAsync(zip, "namespace=staging");
        abort.StatusCode.ShouldBe(HttpStatusCode.Conflict, await abort.Content.ReadAsStringAsync());
        _server.Server.ConfigCenter.Revision.ShouldBe(revision, "ABORT (the default) imports nothing");

        (await (await ImportAsync(zip, "namespace=staging&policy=OVERWRITE")).JsonOkAsync()).GetProperty("data").GetProperty("succCount").GetInt32().ShouldBe(2);
        _server.Held("a.properties", "SHOP", "staging")!.Content.ShouldBe("a=1");
    }

    [Fact]
    public async Task Import_BadInput_Is400WithAClearMessage()
    {
        var noFile = await _http.PostAsync($"/nacos/v1/cs/configs?import=true&accessToken={_token}", new MultipartFormDataContent { { new StringContent("x"), "other" } });
        (await noFile.TextAsync(HttpStatusCode.BadRequest)).ShouldContain("'file'");
        (await (await ImportAsync([1, 2, 3], "policy=SKIP")).TextAsync(HttpStatusCode.BadRequest)).ShouldNotBeEmpty();
        (await (await ImportAsync([1, 2, 3], "policy=MERGE")).TextAsync(HttpStatusCode.BadRequest)).ShouldContain("MERGE");
    }
}
