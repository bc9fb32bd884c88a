using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Grove.Server.Tests.Config;

/// <summary>What the config protocol tests share: separators, MD5s, form posts as Java clients send them, and a server.</summary>
internal static class ConfigKit
{
    public const char Word = (char)2;
    public const char Line = (char)1;

    /// <summary>A server for config tests: short long-poll bounds so a timeout test takes a second, not thirty.</summary>
    public static Task<RunningServer> StartAsync(Func<ConfigServerOptions, ConfigServerOptions>? config = null, string? data = null, string? store = null)
    {
        return RunningServer.StartAsync(o =>
        {
            var c = o.Config with { MinLongPoll = TimeSpan.FromMilliseconds(200), HeartbeatInterval = TimeSpan.FromSeconds(1) };
            return o with { Config = config?.Invoke(c) ?? c };
        }, data, store);
    }

    /// <summary>A header as sent (HttpClient would parse Content-MD5 as base64).</summary>
    public static string? RawHeader(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var v) || response.Content.Headers.NonValidated.TryGetValues(name, out v) ? v.ToString() : null;

    public static string Md5(string s) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(s)));

    /// <summary>A form body as Diamond's and Nacos's Java clients send it (URLEncoder: '+' for space, %XX for the rest).</summary>
    public static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    public static async Task<string> TextAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return text;
    }

    public static async Task<JsonElement> JsonOkAsync(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>The config as the engine of the server holds it.</summary>
    public static Grove.Config.ConfigItem? Held(this RunningServer server, string dataId, string group = "DEFAULT_GROUP", string? tenant = null) =>
        server.Server.ConfigCenter.Get(Grove.Config.ConfigKey.Create(dataId, group, tenant));

    /// <summary>Publishes straight through the engine (arranging a test, not exercising HTTP).</summary>
    public static Task PutAsync(this RunningServer server, string dataId, string content, string group = "DEFAULT_GROUP", string? tenant = null, bool? secret = null) =>
        server.Server.ConfigCenter.PublishAsync(new Grove.Config.PublishRequest { Key = Grove.Config.ConfigKey.Create(dataId, group, tenant), Content = content, Secret = secret });
}
