namespace Grove.Tree;

/// <summary>Options for writing a file's content in one call.</summary>
public sealed record PutOptions
{
    /// <summary>Who writes: stamped as modifier (and creator of a new file).</summary>
    public string? User { get; init; }

    /// <summary>MIME type to record; default keeps the current one (or guesses from the name for a new file).</summary>
    public string? Mime { get; init; }

    /// <summary>Create missing parent directories (default true).</summary>
    public bool Parents { get; init; } = true;

    /// <summary>Only write if the file's current content has this SHA-256 (compare-and-swap); <c>conflict</c> otherwise.</summary>
    public string? IfSha256 { get; init; }

    /// <summary>Only create the file (HTTP <c>If-None-Match: *</c>): <c>already_exists</c> if it exists, before or by the time the content has arrived.</summary>
    public bool CreateOnly { get; init; }

    /// <summary>Reports bytes written so far, for progress bars.</summary>
    public IProgress<long>? Progress { get; init; }
}
