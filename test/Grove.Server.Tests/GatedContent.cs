using System.Net;

namespace Grove.Server.Tests;

/// <summary>A request body sent in two halves: the second only once <see cref="Release"/> is called.</summary>
internal sealed class GatedContent(byte[] bytes) : HttpContent
{
    private readonly TaskCompletionSource _firstHalfSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first half is on the wire.</summary>
    public Task FirstHalfSent => _firstHalfSent.Task;

    public void Release() => _release.TrySetResult();

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
