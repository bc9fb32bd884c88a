namespace Grove.Client;

/// <summary>
/// An open download: read <see cref="Content"/> as it arrives from the server, then dispose this to release the
/// connection. Nothing is buffered beyond the network's own windows.
/// </summary>
public sealed class GroveDownload : IAsyncDisposable, IDisposable
{
    private readonly HttpResponseMessage _response;

    internal GroveDownload(HttpResponseMessage response, Stream content, GroveContentInfo info)
    {
        _response = response;
        Content = content;
        Info = info;
    }

    /// <summary>The content stream (empty when <see cref="GroveContentInfo.NotModified"/>).</summary>
    public Stream Content { get; }

    /// <summary>The hash, sizes and range of the content.</summary>
    public GroveContentInfo Info { get; }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync();
        _response.Dispose();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Content.Dispose();
        _response.Dispose();
    }
}
