using System.Net;

namespace Grove.Server.Tests;

/// <summary>An upload that fails leaves nothing behind: no empty new file, and an existing file keeps its content.</summary>
public sealed class UploadFailureTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(o => o with { MaxUploadBytes = 64 * 1024 });
        _admin = await _server.AdminAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Put_ChunkedBodyOverTheLimit_NewFileIsNotCreated()
    {
        using var put = await _admin.PutAsync("/api/v1/files/up/new.bin", new ChunkedContent(1 << 20));

        await put.ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "too_large");
        await (await _admin.GetAsync("/api/v1/stat/up/new.bin")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Put_ChunkedBodyOverTheLimit_ExistingFileKeepsItsContent()
    {
        (await _admin.PutAsync("/api/v1/files/up/old.txt", new StringContent("old"))).EnsureSuccessStatusCode();

        using var put = await _admin.PutAsync("/api/v1/files/up/old.txt", new ChunkedContent(1 << 20));

        await put.ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "too_large");
        (await _admin.GetStringAsync("/api/v1/files/up/old.txt")).ShouldBe("old");
    }

    /// <summary>A body of unknown length (sent chunked), so the server finds it too large only while reading.</summary>
    private sealed class ChunkedContent(int size) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var chunk = new byte[16 * 1024];
            for (var sent = 0; sent < size; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
