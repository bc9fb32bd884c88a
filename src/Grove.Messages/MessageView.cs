using System.Text.Json.Nodes;

namespace Grove.Messages;

/// <summary>One message shown with the mapping revision it was mapped with: master fields and detail table with display names.</summary>
public sealed record MessageView
{
    /// <summary>The message's columns.</summary>
    public required MessageSummary Message { get; init; }

    /// <summary>The mapping at the revision the message was mapped with.</summary>
    public required MessageMapping Mapping { get; init; }

    /// <summary>The mapped document.</summary>
    public required JsonObject Document { get; init; }

    /// <summary>Master fields in mapping order, then fields the mapping does not know (migrated messages keep them).</summary>
    public required IReadOnlyList<ShownField> Fields { get; init; }

    /// <summary>The detail table's display name, or null without one.</summary>
    public string? DetailTitle { get; init; }

    /// <summary>The detail table's columns (internal name and display name), in print order.</summary>
    public IReadOnlyList<ShownField> DetailColumns { get; init; } = [];

    /// <summary>The detail rows, values shown as text in <see cref="DetailColumns"/> order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> DetailRows { get; init; } = [];
}

/// <summary>A value shown with its display name.</summary>
/// <param name="Name">The internal name.</param>
/// <param name="Display">The display name.</param>
/// <param name="Value">The value as text (an enum's label, a date-time in the field's offset); empty when absent.</param>
/// <param name="Mapped">False for a field the mapping does not name (kept as sent, shown under its own name).</param>
public sealed record ShownField(string Name, string Display, string Value, bool Mapped = true);
