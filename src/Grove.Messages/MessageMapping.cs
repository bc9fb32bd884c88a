using Grove.Messages.Internal.Mapping;

namespace Grove.Messages;

/// <summary>
/// How one partner's message type becomes internal data: the config <c>GROVE_MESSAGES/&lt;partner&gt;.&lt;type&gt;</c>
/// (JSON or YAML) at one revision. Immutable; parse one with <see cref="Parse"/>.
/// </summary>
public sealed record MessageMapping
{
    /// <summary>The config group every mapping lives in.</summary>
    public const string ConfigGroup = "GROVE_MESSAGES";

    /// <summary>The partner (first part of the dataId).</summary>
    public required string Partner { get; init; }

    /// <summary>The message type (second part of the dataId).</summary>
    public required string Type { get; init; }

    /// <summary>The config center revision this mapping was published at (0 for a mapping not from the config center).</summary>
    public long Revision { get; init; }

    /// <summary>The mapping's text as published.</summary>
    public string Content { get; init; } = "";

    /// <summary>The format partners send (JSON or XML).</summary>
    public SourceFormat Format { get; init; }

    /// <summary>Where the body carries the partner's own id of the message, or null.</summary>
    public string? SourceIdPath { get; init; }

    /// <summary>The master fields, in declared order.</summary>
    public required IReadOnlyList<MappingField> Fields { get; init; }

    /// <summary>The detail table (a repeated source element), or null.</summary>
    public DetailMapping? Detail { get; init; }

    /// <summary>Internal names of the master fields indexed as business keys (at most <see cref="MaxKeys"/>).</summary>
    public IReadOnlyList<string> Keys { get; init; } = [];

    /// <summary>How a message of this type is printed.</summary>
    public required PrintLayout Print { get; init; }

    /// <summary>Most business keys a mapping may index.</summary>
    public const int MaxKeys = 4;

    /// <summary>A master field by internal name, or null.</summary>
    public MappingField? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);

    /// <summary>The config dataId of a partner's type: <c>&lt;partner&gt;.&lt;type&gt;</c>.</summary>
    public static string DataId(string partner, string type) => partner + "." + type;

    /// <summary>
    /// Parses and validates a mapping (JSON when it starts with <c>{</c>, otherwise YAML).
    /// </summary>
    /// <exception cref="MessageException"><c>invalid_mapping</c> listing every problem, each naming its field.</exception>
    public static MessageMapping Parse(string partner, string type, string content, long revision = 0) =>
        MappingReader.Read(partner, type, content, revision);
}

/// <summary>The format of a partner's message body.</summary>
public enum SourceFormat
{
    /// <summary>A JSON document.</summary>
    Json,

    /// <summary>An XML document (no DTD).</summary>
    Xml,
}

/// <summary>The type of a mapped value.</summary>
public enum FieldType
{
    /// <summary>Text.</summary>
    String,

    /// <summary>A 64-bit integer.</summary>
    Integer,

    /// <summary>A decimal number (invariant culture, <c>.</c> as separator).</summary>
    Decimal,

    /// <summary>A date and time; stored as UTC ISO 8601 (<c>yyyy-MM-ddTHH:mm:ss.fffZ</c>), so it sorts as text.</summary>
    DateTime,

    /// <summary>One of a set of codes, each with a label shown instead of the code.</summary>
    Enum,
}

/// <summary>One mapped field.</summary>
public sealed record MappingField
{
    /// <summary>Where the value is in the source: segments separated by <c>/</c> or <c>.</c>; <c>@name</c> is an XML attribute.</summary>
    public required string Path { get; init; }

    /// <summary>The internal name (letters, digits, <c>_</c>; the document's key).</summary>
    public required string Name { get; init; }

    /// <summary>The display name (Chinese names are the norm); the internal name when none is given.</summary>
    public required string Display { get; init; }

    /// <summary>The value's type.</summary>
    public FieldType Type { get; init; }

    /// <summary>Whether a message without it is refused.</summary>
    public bool Required { get; init; }

    /// <summary>The value used when the source has none (already valid for <see cref="Type"/>), or null.</summary>
    public string? Default { get; init; }

    /// <summary>For <see cref="FieldType.DateTime"/>: a .NET exact format such as <c>yyyyMMddHHmmss</c>; null accepts ISO 8601.</summary>
    public string? Format { get; init; }

    /// <summary>For <see cref="FieldType.DateTime"/> without an offset in the value: the offset it is in (default +08:00).</summary>
    public TimeSpan Offset { get; init; } = TimeSpan.FromHours(8);

    /// <summary>For <see cref="FieldType.Enum"/>: each code's label.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}

/// <summary>A repeated source element mapped to a detail table.</summary>
public sealed record DetailMapping
{
    /// <summary>Where the repeated element is (a JSON array, or repeated XML elements).</summary>
    public required string Path { get; init; }

    /// <summary>The document key of the table (default <c>detail</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The table's display name.</summary>
    public required string Display { get; init; }

    /// <summary>The columns, paths relative to one repeated element.</summary>
    public required IReadOnlyList<MappingField> Fields { get; init; }

    /// <summary>Most rows a message may carry.</summary>
    public int MaxRows { get; init; } = 10_000;
}

/// <summary>How a message is printed: a title, sections of master fields, the detail table's columns.</summary>
/// <param name="Title">The title; <c>{name}</c> is replaced by that field's value.</param>
/// <param name="Sections">Sections of master fields, in order; one section of every field when none is given.</param>
/// <param name="Columns">The detail table's columns (internal names), every detail field when none is given.</param>
public sealed record PrintLayout(string Title, IReadOnlyList<PrintSection> Sections, IReadOnlyList<string> Columns);

/// <summary>A titled group of master fields on the print-out.</summary>
/// <param name="Title">The section's heading.</param>
/// <param name="Fields">Internal names, in print order.</param>
public sealed record PrintSection(string Title, IReadOnlyList<string> Fields);
