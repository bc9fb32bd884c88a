using System.Net;
using Microsoft.Extensions.Configuration;
using static Grove.Server.Tests.ApiAssertions;
using static Grove.Server.Tests.Config.ConfigKit;

namespace Grove.Server.Tests.Config;

/// <summary>Who may read what through the client protocols: anonymous reads (on by default, can be turned off) and secrets.</summary>
public sealed class ConfigAuthTests
{
    [Fact]
    public async Task AnonymousReadsOff_DiamondAndNacosReadsNeedACredential()
    {
        await using var server = await StartAsync(c => c with { AnonymousReads = false });
        await server.PutAsync("app", "v", "G");
        var anonymous = server.Anonymous();
        (await anonymous.GetAsync("/diamond-server/config.co?dataId=app&group=G")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/nacos/v1/cs/configs?dataId=app&group=G")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await anonymous.PostAsync("/nacos/v1/cs/configs/listener", Form(("Listening-Configs", $"app{Word}G{Word}{Line}")))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var reader = await server.UserAsync("reader");
        (await (await reader.GetAsync("/nacos/v1/cs/configs?dataId=app&group=G")).TextAsync(HttpStatusCode.OK)).ShouldBe("v");
        (await (await reader.GetAsync("/diamond-server/config.co?dataId=app&group=G")).TextAsync(HttpStatusCode.OK)).ShouldBe("v");
    }

    [Fact]
    public async Task OldPasswordKeepsWorking_NacosPasswordLoginsAndBearerTokensAfterAReset_Refused()
    {
        await using var server = await StartAsync();
        var editor = await server.UserAsync("editor", "config");
        var anonymous = server.Anonymous();
        FormUrlEncodedContent Publish(string content, string password) =>
            Form(("dataId", "app"), ("group", "G"), ("content", content), ("username", "editor"), ("password", password));
        (await (await anonymous.PostAsync("/nacos/v1/cs/configs", Publish("v1", RunningServer.UserPassword))).TextAsync(HttpStatusCode.OK)).ShouldBe("true");
        (await editor.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var admin = await server.AdminAsync();
        (await admin.PostAsync("/api/v1/users/editor/password", Json("""{"password":"a-new-password-2"}"""))).EnsureSuccessStatusCode();

        (await anonymous.PostAsync("/nacos/v1/cs/configs", Publish("v2", RunningServer.UserPassword))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await editor.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        server.Held("app", "G")!.Content.ShouldBe("v1");
        (await (await anonymous.PostAsync("/nacos/v1/cs/configs", Publish("v3", "a-new-password-2"))).TextAsync(HttpStatusCode.OK)).ShouldBe("true");
    }

    [Fact]
    public void Settings_BindFromTheGroveConfigSection()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Grove:Config:AnonymousReads"] = "false",
            ["Grove:Config:MaxContentBytes"] = "2048",
            ["Grove:Config:RequestWindow"] = "00:00:30",
        }).Build();
        var options = GroveServer.LoadOptions(configuration).Config;
        options.AnonymousReads.ShouldBeFalse();
        options.MaxContentBytes.ShouldBe(2048);
        options.RequestWindow.ShouldBe(TimeSpan.FromSeconds(30));
        options.EditorGroup.ShouldBe("config", "unset settings keep their defaults");
    }

    [Fact]
    public async Task Secrets_AreNeverServedAnonymously_NorToPlainUsers()
    {
        await using var server = await StartAsync();
        await server.PutAsync("cipher-db", "password=hunter2", "G");
        var anonymous = server.Anonymous();
        (await anonymous.GetAsync("/diamond-server/config.co?dataId=cipher-db&group=G")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/nacos/v1/cs/configs?dataId=cipher-db&group=G")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var probe = $"cipher-db{Word}G{Word}{Md5("password=hunter2")}{Line}";
        (await anonymous.PostAsync("/diamond-server/config.co", Form(("Probe-Modify-Request", probe)))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "an MD5 probe would confirm a guess");

        var plain = await server.UserAsync("plain");
        (await plain.GetAsync("/api/v1/config/items/G/cipher-db")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var list = await (await plain.GetAsync("/api/v1/config?withContent=true")).JsonOkAsync();
        list.GetProperty("items")[0].TryGetProperty("content", out _).ShouldBeFalse();

        var reader = await server.UserAsync("vault", "config-secrets");
        (await (await reader.GetAsync("/nacos/v1/cs/configs?dataId=cipher-db&group=G")).TextAsync(HttpStatusCode.OK)).ShouldBe("password=hunter2");
    }
}
