using System.Text.Json;

namespace Grove.Tree;

/// <summary>Options for creating objects.</summary>
public sealed record CreateOptions
{
    /// <summary>Create missing parent directories (default true).</summary>
    public bool Parents { get; init; } = true;

    /// <summary>When the object exists with the same race, return it instead of failing (like <c>mkdir -p</c>).</summary>
    public bool ExistOk { get; init; }

    /// <summary>Creator and modifier stamped on new objects.</summary>
    public string? User { get; init; }

    /// <summary>Group of new objects.</summary>
    public string? Group { get; init; }

    /// <summary>Mode bits of new objects; default 0755 for directories and 0644 for files.</summary>
    public int? Mode { get; init; }

    /// <summary>MIME type of a new file; default from its extension.</summary>
    public string? Mime { get; init; }

    /// <summary>Labels of the new object.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>Expiry (ms since the Unix epoch).</summary>
    public long? Expires { get; init; }

    /// <summary>Custom metadata of the new object.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Meta { get; init; }
}
