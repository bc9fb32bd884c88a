using System.Net;
using System.Net.Http.Headers;

namespace Grove.Server.Tests;

/// <summary>
/// Request content that sends its first half, then waits for <see cref="Release"/> before sending the rest.
/// Sent through <see cref="ClientFor"/>, the first byte leaves only once the server's handler asks for the body.
/// </summary>
internal sealed class GatedContent(byte[] bytes) : HttpContent
{
    private readonly TaskCompletionSource _firstHalfSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes when the first half is on the wire; through <see cref="ClientFor"/> that also means the server's
    /// handler has begun reading the body (everything it did before that is done).
    /// </summary>
    public Task FirstHalfSent => _firstHalfSent.Task;

    public void Release() => _release.TrySetResult();

    /// <summary>
    /// A client signed in as <paramref name="signedIn"/> that sends bodies with <c>Expect: 100-continue</c> and waits
    /// for the server's go-ahead as long as it takes: Kestrel answers 100 when the handler first reads the body, so
    /// a body is never in the server's buffers before its handler has run up to that read.
    /// </summary>
    public static HttpClient ClientFor(HttpClient signedIn)
    {
        var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = signedIn.BaseAddress,
            Timeout = TimeSpan.FromMinutes(5),
        };
        client.DefaultRequestHeaders.Authorization = signedIn.DefaultRequestHeaders.Authorization is { } auth
            ? new AuthenticationHeaderValue(auth.Scheme, auth.Parameter)
            : null;
        client.DefaultRequestHeaders.ExpectContinue = true;
        return client;
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var half = bytes.Length / 2;
        await stream.WriteAsync(bytes.AsMemory(0, half));
        await stream.FlushAsync();
        _firstHalfSent.TrySetResult();
        await _release.Task;
        await stream.WriteAsync(bytes.AsMemory(half));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = bytes.Length;
        return true;
    }
}
