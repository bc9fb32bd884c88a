using System.Text.Json;

namespace Grove.Tree;

/// <summary>The whole state of a small file written by a <see cref="TreeBatch"/>: content, metadata, labels.</summary>
public sealed record BatchFile
{
    /// <summary>The file's content. Content up to the inline threshold lives in the index row; larger goes to the bucket.</summary>
    public ReadOnlyMemory<byte> Content { get; init; }

    /// <summary>The custom metadata (replacing all of the file's custom keys).</summary>
    public IReadOnlyDictionary<string, JsonElement>? Meta { get; init; }

    /// <summary>The labels (<c>lbls</c>), replacing the file's labels.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>Expiry, ms since the Unix epoch (<c>expi</c>).</summary>
    public long? Expires { get; init; }

    /// <summary>The MIME type; default from the name for a new file, unchanged for an existing one.</summary>
    public string? Mime { get; init; }
}
