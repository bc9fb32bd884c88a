namespace Grove.Client;

/// <summary>How <see cref="GroveClient.UploadAsync"/> writes a file.</summary>
public sealed record GroveUploadOptions
{
    /// <summary>The MIME type to record (<c>Content-Type</c>); null lets the server derive it from the name.</summary>
    public string? ContentType { get; init; }

    /// <summary>
    /// Compare-and-swap: the SHA-256 the current content must have (<c>If-Match</c>), or <c>*</c> to overwrite
    /// whatever is there. Null still refuses to overwrite content that changed while this upload streamed (409).
    /// </summary>
    public string? IfMatch { get; init; }

    /// <summary>Only create the file (<c>If-None-Match: *</c>): <c>already_exists</c> (409) if it exists, nothing written.</summary>
    public bool CreateOnly { get; init; }

    /// <summary>Create missing parent directories (the default); false answers <c>not_found</c> instead.</summary>
    public bool CreateParents { get; init; } = true;

    /// <summary>Reports the bytes read from the source stream so far (and thus sent).</summary>
    public IProgress<long>? Progress { get; init; }

    /// <summary>
    /// The content length when the stream cannot tell (it is not seekable) but the caller knows it; lets the server
    /// refuse an oversized upload before any byte is sent. Null sends the body chunked.
    /// </summary>
    public long? Length { get; init; }
}
