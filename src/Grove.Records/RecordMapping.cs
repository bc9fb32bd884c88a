using System.Text.Json;
using Grove.Records.Internal;

namespace Grove.Records;

/// <summary>
/// A record set's mapping in seed 003's entity-mapping format (<c>tableName</c>, <c>autoCreate</c>, <c>fields</c>,
/// <c>pks</c>, <c>objKeys</c>, <c>indexes</c>) plus seed 002's history policy (<c>history</c>). Parse one with
/// <see cref="Parse"/>, which validates it; construct one in code and call <see cref="Validate"/>.
/// </summary>
public sealed record RecordMapping
{
    /// <summary>The table, or a template such as <c>t_abc_${id}</c> whose placeholders are primary-key fields.</summary>
    public required string TableName { get; init; }

    /// <summary>Whether missing tables are created (default true); false makes a missing table an error.</summary>
    public bool AutoCreate { get; init; } = true;

    /// <summary>The mapped fields, in column order.</summary>
    public required IReadOnlyList<RecordField> Fields { get; init; }

    /// <summary>The primary-key field names (one or several).</summary>
    public required IReadOnlyList<string> Pks { get; init; }

    /// <summary>Tree object keys (id, pid, nm, ct…) mapped to field names, for <c>dao</c> mounts.</summary>
    public IReadOnlyDictionary<string, string> ObjKeys { get; init; } = new Dictionary<string, string>();

    /// <summary>The indexes created with the tables.</summary>
    public IReadOnlyList<RecordIndex> Indexes { get; init; } = [];

    /// <summary>The history policy, or null for a set that never rotates.</summary>
    public HistoryPolicy? History { get; init; }

    /// <summary>Parses and validates a mapping (comments and trailing commas allowed, as in the seed).</summary>
    /// <exception cref="RecordsException"><c>invalid_mapping</c> naming the field at fault.</exception>
    public static RecordMapping Parse(string json) => MappingParser.Parse(json);

    /// <summary>The mapping as JSON in the same format.</summary>
    public string ToJson() => MappingParser.Write(this);

    /// <summary>Checks the mapping; throws <c>invalid_mapping</c> naming the field at fault.</summary>
    public void Validate() => MappingValidator.Validate(this);

    /// <summary>The field named <paramref name="name"/>, or null.</summary>
    public RecordField? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);

    internal static readonly JsonSerializerOptions ReadOptions = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };
}
