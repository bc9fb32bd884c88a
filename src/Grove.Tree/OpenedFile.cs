namespace Grove.Tree;

/// <summary>
/// A file opened for reading: the object as it was when opened and its content, which the object's <c>len</c> and
/// <c>sha256</c> describe. Dispose it to close the content.
/// </summary>
/// <param name="Object">The file's object.</param>
/// <param name="Content">The content: a seekable stream positioned at 0.</param>
public sealed record OpenedFile(TreeObject Object, Stream Content) : IAsyncDisposable
{
    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
