using System.Net.Http.Headers;
using Grove.Client.Internal;

namespace Grove.Client;

public sealed partial class GroveClient
{
    internal const int TransferBuffer = 128 * 1024;
    private const long ExpectContinueAbove = 1 << 20;

    /// <summary>
    /// Uploads a file's whole content from <paramref name="content"/>, streamed as it is read: any size, never held in
    /// memory. Creates the file (and missing parents unless <see cref="GroveUploadOptions.CreateParents"/> is false) or
    /// replaces its content. A seekable stream is sent from its position with a <c>Content-Length</c>; over 1 MiB (or
    /// of unknown length) with <c>Expect: 100-continue</c>, so the server can refuse (403, 413…) before the body travels. The stream is read, not disposed.
    /// </summary>
    /// <returns>The file as stored, with its <see cref="GroveObject.Sha256"/>.</returns>
    public async Task<GroveObject> UploadAsync(string path, Stream content, GroveUploadOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        options ??= new GroveUploadOptions();
        var length = options.Length ?? (content.CanSeek ? content.Length - content.Position : null);
        var body = new StreamContent(new ProgressReadStream(content, options.Progress), TransferBuffer);
        body.Headers.ContentType = new MediaTypeHeaderValue(options.ContentType ?? "application/octet-stream");
        if (length is { } n)
        {
            body.Headers.ContentLength = n;
        }

        var request = Request(HttpMethod.Put, "files/" + TreeRoute.Encode(path) + (options.CreateParents ? "" : "?parents=false"), body);
        // Note that with 100-continue the server answers a refusal before any byte of a big body is sent (HttpClient
        // sends it anyway after a second if the server stays silent); a small body is not worth the extra round trip.
        request.Headers.ExpectContinue = length is not { } known || known > ExpectContinueAbove;
        if (options.IfMatch is { } sha)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ContentHeaders.Tag(sha));
        }

        if (options.CreateOnly)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", "*");
        }

        return await SendJsonAsync(request, GroveObject.FromJson, ct);
    }

    /// <summary>
    /// Opens a file's content for reading as it arrives (<c>Range</c> and <c>If-None-Match</c> from
    /// <paramref name="options"/>). Dispose the download to release the connection.
    /// </summary>
    public async Task<GroveDownload> OpenReadAsync(string path, GroveDownloadOptions? options = null, CancellationToken ct = default)
    {
        using var request = Request(HttpMethod.Get, "files/" + TreeRoute.Encode(path));
        if (options?.RangeFrom is not null || options?.RangeTo is not null)
        {
            request.Headers.Range = new RangeHeaderValue(options.RangeFrom, options.RangeTo);
        }

        if (options?.IfNoneMatch is { } sha)
        {
            request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(ContentHeaders.Tag(sha)));
        }

        var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        try
        {
            var info = ContentHeaders.Read(response);
            var stream = info.NotModified ? Stream.Null : await response.Content.ReadAsStreamAsync(ct);
            return new GroveDownload(response, stream, info);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Downloads a file's content into <paramref name="destination"/> as it arrives, reporting progress; returns what
    /// the server said about it (hash, sizes, range). The destination is written, not disposed.
    /// </summary>
    public async Task<GroveContentInfo> DownloadAsync(string path, Stream destination, GroveDownloadOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await using var download = await OpenReadAsync(path, options, ct);
        var buffer = new byte[TransferBuffer];
        long total = 0;
        int n;
        while ((n = await download.Content.ReadAsync(buffer, ct)) > 0)
        {
            await destination.WriteAsync(buffer.AsMemory(0, n), ct);
            total += n;
            options?.Progress?.Report(total);
        }

        return download.Info;
    }

    /// <summary>A file's hash, size, type and modification time without its content (<c>HEAD</c>).</summary>
    public async Task<GroveContentInfo> GetContentInfoAsync(string path, CancellationToken ct = default)
    {
        using var request = Request(HttpMethod.Head, "files/" + TreeRoute.Encode(path));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        return ContentHeaders.Read(response);
    }
}
