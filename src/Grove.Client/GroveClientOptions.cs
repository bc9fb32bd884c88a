namespace Grove.Client;

/// <summary>
/// Settings of a <see cref="GroveClient"/>: where the server is and how to authenticate. With
/// <c>services.AddGroveClient(o =&gt; …)</c> they come from the options system; without DI, pass them to the constructor.
/// </summary>
public sealed class GroveClientOptions
{
    /// <summary>The server's address, e.g. <c>http://127.0.0.1:7070</c> (a path prefix such as <c>https://host/grove/</c> is kept).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>A login token (from <see cref="GroveClient.LoginAsync"/>), sent as <c>Authorization: Bearer</c>.</summary>
    public string? Token { get; set; }

    /// <summary>A long-lived API key for services (from <see cref="GroveClientUsers.CreateApiKeyAsync"/>); used when <see cref="Token"/> is null.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The timeout of the underlying <see cref="HttpClient"/> when the client is registered through DI. Infinite by
    /// default, because an upload or download of any size must not be cut off; bound each call with its
    /// <see cref="CancellationToken"/> instead.
    /// </summary>
    public TimeSpan Timeout { get; set; } = System.Threading.Timeout.InfiniteTimeSpan;
}
