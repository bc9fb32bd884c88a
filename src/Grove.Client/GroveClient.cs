using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Grove.Client.Internal;

namespace Grove.Client;

/// <summary>
/// The client of a Grove server (docs/api.md): the tree (stat, list, mkdir, upload, download, metadata, query, move,
/// delete, mounts), users, groups, API keys, and admin checks. Content streams both ways and is never held whole in
/// memory. A refused call throws <see cref="GroveApiException"/> with the server's stable code.
/// </summary>
/// <remarks>
/// Thread-safe: one instance may serve concurrent calls. Each call carries the current credential
/// (<see cref="Token"/>), so changing it affects later calls only. Register it with
/// <c>services.AddGroveClient(o =&gt; …)</c>, or construct it over an <see cref="HttpClient"/> or an address.
/// </remarks>
public sealed partial class GroveClient : IDisposable
{
    /// <summary>The name of the <see cref="HttpClient"/> that <c>AddGroveClient</c> registers with the factory.</summary>
    public const string HttpClientName = "Grove";

    private const string Api = "api/v1/";

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _base;
    private volatile string? _credential;

    /// <summary>
    /// A client over an <see cref="HttpClient"/> (not disposed by this client). The server address is
    /// <see cref="GroveClientOptions.BaseAddress"/>, else the HttpClient's own <see cref="HttpClient.BaseAddress"/>.
    /// </summary>
    public GroveClient(HttpClient http, GroveClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        var address = options?.BaseAddress ?? http.BaseAddress
            ?? throw new ArgumentException("the server address is missing: set GroveClientOptions.BaseAddress or HttpClient.BaseAddress", nameof(options));
        _base = WithSlash(address);
        _credential = options?.Token ?? options?.ApiKey;
    }

    /// <summary>A client that owns its own <see cref="HttpClient"/> (disposed with this client).</summary>
    /// <param name="baseAddress">The server, e.g. <c>http://127.0.0.1:7070</c>.</param>
    /// <param name="token">A login token or API key; null to call <see cref="LoginAsync"/> first.</param>
    public GroveClient(Uri baseAddress, string? token = null)
        : this(CreateHttpClient(), new GroveClientOptions { BaseAddress = baseAddress, Token = token }) => _ownsHttp = true;

    /// <summary>The server's address.</summary>
    public Uri BaseAddress => _base;

    /// <summary>The bearer credential sent with each call: a login token or an API key. <see cref="LoginAsync"/> sets it.</summary>
    public string? Token
    {
        get => _credential;
        set => _credential = value;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>An <see cref="HttpClient"/> fit for transfers of any size: no overall timeout, a bounded connect.</summary>
    internal static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(15),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private static Uri WithSlash(Uri address)
    {
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"the server address must be an absolute http or https URL: {address}", nameof(address));
        }

        var text = address.GetLeftPart(UriPartial.Path);
        return new Uri(text.EndsWith('/') ? text : text + "/");
    }

    /// <summary>The absolute URL of an API route (relative to <c>/api/v1/</c>).</summary>
    private Uri Url(string route) => new(_base, Api + route);

    /// <summary>A request to an API route with the current credential.</summary>
    internal HttpRequestMessage Request(HttpMethod method, string route, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, Url(route)) { Content = content };
        if (_credential is { Length: > 0 } credential)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        return request;
    }

    /// <summary>Sends a request; a refused answer (other than 304) becomes a <see cref="GroveApiException"/>.</summary>
    internal async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        var response = await _http.SendAsync(request, completion, ct);
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified)
        {
            return response;
        }

        using (response)
        {
            throw await Problems.ReadAsync(response, ct);
        }
    }

    /// <summary>Sends a request and reads its JSON answer with <paramref name="read"/>.</summary>
    internal async Task<T> SendJsonAsync<T>(HttpRequestMessage request, Func<JsonElement, T> read, CancellationToken ct)
    {
        using (request)
        {
            using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            using var doc = await JsonDocument.ParseAsync(stream, default, ct);
            return read(doc.RootElement);
        }
    }

    /// <summary>Sends a request whose answer has no body worth reading (204).</summary>
    internal async Task SendEmptyAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        {
            using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        }
    }

    internal static string Query(params (string Name, string? Value)[] args)
    {
        var parts = args.Where(a => a.Value is not null).Select(a => a.Name + "=" + Uri.EscapeDataString(a.Value!)).ToList();
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}
