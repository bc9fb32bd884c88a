using System.Globalization;
using System.Net;
using System.Text.Json;
using Grove.Client.Internal;

namespace Grove.Client;

/// <summary>
/// The config center of a Grove server (<c>/api/v1/config</c>): get, publish, remove, list, history and rollback,
/// import and export, and <see cref="WatchAsync"/>, a push stream (server-sent events) that reconnects by itself and
/// compares every MD5 with the server's every few minutes as a safety net. Thread-safe.
/// </summary>
public sealed partial class GroveConfigClient : IDisposable
{
    private readonly GroveClient _client;
    private readonly bool _ownsClient;

    /// <summary>A config client over a <see cref="GroveClient"/> (its address and credential; not disposed by this one).</summary>
    public GroveConfigClient(GroveClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <summary>A config client of a server with a token or API key (the usual credential of a service).</summary>
    public GroveConfigClient(Uri baseAddress, string? token)
        : this(new GroveClient(baseAddress, token)) => _ownsClient = true;

    /// <summary>The underlying client (address, credential).</summary>
    public GroveClient Client => _client;

    /// <summary>Gray-release labels this client declares (sent as <c>X-Grove-Labels</c>), e.g. <c>zone=a</c>, <c>canary</c>.</summary>
    public IReadOnlyList<string> Labels { get; set; } = [];

    /// <summary>A config with its content as this client gets it (a gray release when it matches), or null when there is none.</summary>
    public async Task<GroveConfig?> GetAsync(GroveConfigKey key, CancellationToken ct = default)
    {
        try
        {
            return await _client.SendJsonAsync(WithLabels(_client.Request(HttpMethod.Get, ItemRoute(key))), GroveConfig.FromJson, ct);
        }
        catch (GroveApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Publishes a config (creates or updates it); bad content throws <c>invalid_format</c>, oversized <c>too_large</c>.</summary>
    public Task<GroveConfig> PublishAsync(GroveConfigKey key, string content, GroveConfigPublishOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        options ??= new GroveConfigPublishOptions();
        var body = JsonBody.Create(w =>
        {
            w.WriteStartObject();
            w.WriteString("content", content);
            Optional(w, "type", options.Type);
            Optional(w, "desc", options.Description);
            Optional(w, "app", options.App);
            if (options.Tags is { } tags)
            {
                w.WriteStartArray("tags");
                foreach (var t in tags)
                {
                    w.WriteStringValue(t);
                }

                w.WriteEndArray();
            }

            if (options.Secret is { } secret)
            {
                w.WriteBoolean("secret", secret);
            }

            if (options.CreateOnly)
            {
                w.WriteString("mode", "create");
            }

            w.WriteEndObject();
        });
        var request = _client.Request(HttpMethod.Put, ItemRoute(key), body);
        if (options.IfMd5 is { } md5)
        {
            request.Headers.TryAddWithoutValidation("If-Match", "\"" + md5 + "\"");
        }

        return _client.SendJsonAsync(request, GroveConfig.FromJson, ct);
    }

    /// <summary>Removes a config; false when there was none.</summary>
    public async Task<bool> RemoveAsync(GroveConfigKey key, CancellationToken ct = default)
    {
        try
        {
            await _client.SendEmptyAsync(_client.Request(HttpMethod.Delete, ItemRoute(key)), ct);
            return true;
        }
        catch (GroveApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    /// <summary>A page of configs matching <paramref name="query"/>.</summary>
    public Task<GroveConfigPage> ListAsync(GroveConfigQuery? query = null, CancellationToken ct = default)
    {
        query ??= new GroveConfigQuery();
        var route = "config" + GroveClient.Query(
            ("tenant", query.Tenant), ("dataId", query.DataId), ("group", query.Group), ("app", query.App),
            ("tags", query.Tags is { Count: > 0 } t ? string.Join(',', t) : null), ("content", query.Content), ("match", query.Match),
            ("pageNo", query.PageNo.ToString(CultureInfo.InvariantCulture)), ("pageSize", query.PageSize.ToString(CultureInfo.InvariantCulture)),
            ("withContent", query.WithContent ? "true" : null));
        return _client.SendJsonAsync(_client.Request(HttpMethod.Get, route), e => new GroveConfigPage(
            Wire.List(e.GetProperty("items"), GroveConfig.FromJson), (int)Wire.Long(e, "total"), (int)Wire.Long(e, "pageNo"), (int)Wire.Long(e, "pageSize")), ct);
    }

    /// <summary>A config's history, newest first (without content).</summary>
    public Task<IReadOnlyList<GroveConfigHistoryEntry>> ListHistoryAsync(GroveConfigKey key, int pageNo = 1, int pageSize = 50, CancellationToken ct = default)
    {
        var route = ItemRoute(key, "/history", ("pageNo", pageNo.ToString(CultureInfo.InvariantCulture)), ("pageSize", pageSize.ToString(CultureInfo.InvariantCulture)));
        return _client.SendJsonAsync(_client.Request(HttpMethod.Get, route), e => Wire.List(e.GetProperty("items"), GroveConfigHistoryEntry.FromJson), ct);
    }

    /// <summary>One version of a config with its content.</summary>
    public Task<GroveConfigHistoryEntry> GetHistoryAsync(GroveConfigKey key, long id, CancellationToken ct = default) =>
        _client.SendJsonAsync(_client.Request(HttpMethod.Get, ItemRoute(key, "/history/" + id.ToString(CultureInfo.InvariantCulture))), GroveConfigHistoryEntry.FromJson, ct);

    /// <summary>Publishes version <paramref name="id"/> of a config again.</summary>
    public Task<GroveConfig> RollbackAsync(GroveConfigKey key, long id, CancellationToken ct = default)
    {
        var body = JsonBody.Create(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("id", id);
            w.WriteEndObject();
        });
        return _client.SendJsonAsync(_client.Request(HttpMethod.Post, ItemRoute(key, "/rollback"), body), GroveConfig.FromJson, ct);
    }

    /// <summary>A unified diff from version <paramref name="from"/> (0: nothing) to <paramref name="to"/> (null: the served content).</summary>
    public Task<string> DiffAsync(GroveConfigKey key, long from, long? to = null, CancellationToken ct = default) =>
        _client.SendJsonAsync(_client.Request(HttpMethod.Get, ItemRoute(key, "/diff", ("from", from.ToString(CultureInfo.InvariantCulture)), ("to", to?.ToString(CultureInfo.InvariantCulture)))),
            e => Wire.Str(e, "unified"), ct);

    /// <summary>Writes a namespace's configs (optionally one group) as a zip to <paramref name="destination"/>.</summary>
    public async Task ExportAsync(Stream destination, string tenant = "", string? group = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var request = _client.Request(HttpMethod.Get, "config/export" + GroveClient.Query(("tenant", tenant), ("group", group)));
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await body.CopyToAsync(destination, ct);
    }

    /// <summary>Imports a zip (Nacos 2's layout) into a namespace under a conflict policy, all or nothing.</summary>
    public Task<GroveConfigImportResult> ImportAsync(Stream zip, string tenant = "", GroveConfigImportPolicy policy = GroveConfigImportPolicy.Abort, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(zip);
        var content = new StreamContent(zip);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/zip");
        var route = "config/import" + GroveClient.Query(("tenant", tenant), ("policy", policy.ToString().ToLowerInvariant()));
        return _client.SendJsonAsync(_client.Request(HttpMethod.Post, route, content), e => new GroveConfigImportResult(
            Wire.List(e.GetProperty("created"), GroveConfig.KeyFromJson), Wire.List(e.GetProperty("updated"), GroveConfig.KeyFromJson), Wire.List(e.GetProperty("skipped"), GroveConfig.KeyFromJson)), ct);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private static string ItemRoute(GroveConfigKey key, string suffix = "", params (string Name, string? Value)[] query)
    {
        var args = new List<(string, string?)> { ("tenant", string.IsNullOrEmpty(key.Tenant) ? null : key.Tenant) };
        args.AddRange(query);
        return $"config/items/{Uri.EscapeDataString(key.Group)}/{Uri.EscapeDataString(key.DataId)}{suffix}" + GroveClient.Query([.. args]);
    }

    private HttpRequestMessage WithLabels(HttpRequestMessage request)
    {
        if (Labels.Count > 0)
        {
            request.Headers.TryAddWithoutValidation("X-Grove-Labels", string.Join(',', Labels));
        }

        return request;
    }

    private static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    internal static bool IsTransient(Exception e) => e switch
    {
        GroveApiException a => a.Status is (int)HttpStatusCode.TooManyRequests or >= 500 or (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden,
        HttpRequestException or IOException or TimeoutException => true,
        _ => false,
    };
}
