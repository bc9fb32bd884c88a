using System.Collections;
using System.Text.Json;

namespace Grove.Records;

/// <summary>
/// One row of a record set, immutable: values are <see cref="string"/>, <see cref="int"/>, <see cref="long"/>,
/// <see cref="float"/>, <see cref="double"/>, <see cref="bool"/>, <see cref="JsonElement"/> (Object, SArray, List,
/// JSON fields) or null, keyed by field name. The hot cache hands out the same instance to every reader.
/// </summary>
public sealed class RecordRow : IReadOnlyDictionary<string, object?>
{
    private readonly Dictionary<string, object?> _values;

    internal RecordRow(Dictionary<string, object?> values, string table)
    {
        _values = values;
        Table = table;
    }

    /// <summary>The table the row was read from (the main table or a history table).</summary>
    public string Table { get; }

    /// <inheritdoc/>
    public object? this[string key] => _values[key];

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _values.Keys;

    /// <inheritdoc/>
    public IEnumerable<object?> Values => _values.Values;

    /// <inheritdoc/>
    public int Count => _values.Count;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, out object? value) => _values.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The row as a JSON object (field names as keys).</summary>
    public string ToJson() => JsonSerializer.Serialize(_values);
}
