using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Grove.Messages.Internal.Mapping;

namespace Grove.Messages.Internal.Receiving;

/// <summary>A message mapped to one document, written as UTF-8 JSON.</summary>
/// <param name="Document">The document: master fields by internal name, the detail table as an array of rows.</param>
/// <param name="Keys">The business keys' values (null when empty), in the mapping's key order.</param>
/// <param name="SourceId">The partner's id of the message found in the body, or null.</param>
internal sealed record MappedDocument(byte[] Document, IReadOnlyList<KeyValuePair<string, string?>> Keys, string? SourceId);

/// <summary>
/// Applies a mapping to a body in one pass: the body parsed once (pooled <see cref="JsonDocument"/>; XML through its
/// JSON-shaped tree), every path found in one walk of it (<see cref="PathTrie"/>), the document written straight to
/// UTF-8. Every failing field is collected into one <c>validation_failed</c>.
/// </summary>
internal static class MappedWriter
{
    private static readonly ConditionalWeakTable<MessageMapping, Compiled> Cache = [];
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    public static MappedDocument Map(MessageMapping mapping, ReadOnlyMemory<byte> body)
    {
        using var parsed = mapping.Format == SourceFormat.Json
            ? BodyReader.ParseDocument(body)
            : JsonSerializer.SerializeToDocument(BodyReader.Parse(body, SourceFormat.Xml, int.MaxValue));
        return Map(mapping, parsed.RootElement);
    }

    public static MappedDocument Map(MessageMapping mapping, JsonElement body)
    {
        var c = Cache.GetValue(mapping, m => new Compiled(m));
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        var errors = new List<FieldError>();
        var keys = new string?[mapping.Keys.Count];
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            MapFields(c.Master, body, w, "", errors, keys);
            if (mapping.Detail is { } detail)
            {
                w.WritePropertyName(detail.Name);
                w.WriteStartArray();
                var at = 0;
                foreach (var item in Items(body, c.DetailPrefix!, c.DetailLast!))
                {
                    if (at == detail.MaxRows)
                    {
                        errors.Add(new FieldError(detail.Name, $"more than {detail.MaxRows} rows"));
                        break;
                    }

                    w.WriteStartObject();
                    MapFields(c.Detail!, item, w, $"{detail.Name}[{at}].", errors, null);
                    w.WriteEndObject();
                    at++;
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        if (errors.Count > 0)
        {
            throw MessageException.Failed(MessageErrorCode.ValidationFailed, $"the message does not satisfy the mapping {MessageMapping.DataId(mapping.Partner, mapping.Type)} (revision {mapping.Revision})", errors);
        }

        string? sourceId = null;
        if (c.SourceId is { } sid)
        {
            Span<JsonElement> one = new JsonElement[1];
            Span<bool> hit = stackalloc bool[1];
            sid.Resolve(body, one, hit);
            sourceId = hit[0] ? Text(one[0]) : null;
        }

        var keyPairs = new KeyValuePair<string, string?>[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keyPairs[i] = new(mapping.Keys[i], keys[i] is { Length: > 0 } v ? v : null);
        }

        return new MappedDocument(buffer.WrittenSpan.ToArray(), keyPairs, string.IsNullOrEmpty(sourceId) ? null : sourceId);
    }

    private static void MapFields(Fields set, JsonElement source, Utf8JsonWriter w, string prefix, List<FieldError> errors, string?[]? keys)
    {
        var count = set.List.Count;
        var pool = ArrayPool<JsonElement>.Shared.Rent(count);
        var found = ArrayPool<bool>.Shared.Rent(count);
        try
        {
            set.Trie.Resolve(source, pool.AsSpan(0, count), found.AsSpan(0, count));
            for (var i = 0; i < count; i++)
            {
                var f = set.List[i];
                var e = pool[i];
                var present = found[i] && e.ValueKind != JsonValueKind.Null;
                var keyAt = keys is null ? -1 : set.KeyIndex[i];

                // Fast path: a string field given as a JSON string without escapes is copied as it came.
                if (present && f.Type == FieldType.String && keyAt < 0 && e.ValueKind == JsonValueKind.String)
                {
                    var raw = JsonMarshal.GetRawUtf8Value(e);
                    if (raw.Length > 2 && !raw.Contains((byte)'\\'))
                    {
                        w.WritePropertyName(set.Names[i]);
                        w.WriteRawValue(raw, skipInputValidation: true);
                        continue;
                    }
                }

                var text = present ? Text(e) : null;
                if (present && text is null)
                {
                    errors.Add(new FieldError(prefix + f.Name, $"{f.Display} ({f.Path}) is a structure, not a value"));
                    continue;
                }

                if (string.IsNullOrEmpty(text))
                {
                    text = f.Default;
                }

                if (string.IsNullOrEmpty(text))
                {
                    if (f.Required)
                    {
                        errors.Add(new FieldError(prefix + f.Name, $"{f.Display} ({f.Path}) is required"));
                    }

                    continue;
                }

                if (Write(f, set.Names[i], text, w, out var stored) is { } why)
                {
                    errors.Add(new FieldError(prefix + f.Name, $"{f.Display} ({f.Path}): {why}"));
                    continue;
                }

                if (keyAt >= 0)
                {
                    keys![keyAt] = stored;
                }
            }
        }
        finally
        {
            ArrayPool<JsonElement>.Shared.Return(pool, clearArray: true);
            ArrayPool<bool>.Shared.Return(found);
        }
    }

    /// <summary>Writes the converted value; returns null on success (with the stored value's text), else why it failed.</summary>
    private static string? Write(MappingField f, JsonEncodedText name, string raw, Utf8JsonWriter w, out string stored)
    {
        stored = raw;
        switch (f.Type)
        {
            case FieldType.Integer:
                if (!long.TryParse(raw.AsSpan().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    return $"'{ValueConverter.Clip(raw)}' is not an integer";
                }

                w.WriteNumber(name, l);
                stored = l.ToString(CultureInfo.InvariantCulture);
                return null;
            case FieldType.Decimal:
                if (!decimal.TryParse(raw.AsSpan().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                {
                    return $"'{ValueConverter.Clip(raw)}' is not a decimal number";
                }

                w.WriteNumber(name, d);
                stored = d.ToString(CultureInfo.InvariantCulture);
                return null;
            case FieldType.DateTime:
                if (ValueConverter.ConvertDate(f, raw, out var text) is { } why)
                {
                    return why;
                }

                stored = text;
                break;
            case FieldType.Enum when !f.Labels.ContainsKey(raw):
                return $"'{ValueConverter.Clip(raw)}' is not one of {string.Join(", ", f.Labels.Keys.Take(20))}";
            default:
                break;
        }

        w.WriteString(name, stored);
        return null;
    }

    /// <summary>The text of a scalar source element, or null when it is not a scalar (an XML element's text is its "#text").</summary>
    private static string? Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        JsonValueKind.Object when e.TryGetProperty("#text", out var t) && t.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array) => Text(t),
        _ => null,
    };

    private static IEnumerable<JsonElement> Items(JsonElement body, PathTrie prefix, string last)
    {
        var one = new JsonElement[1];
        var hit = new bool[1];
        prefix.Resolve(body, one, hit);
        if (!hit[0])
        {
            return [];
        }

        var found = one[0];
        if (found.ValueKind == JsonValueKind.Array)
        {
            if (found.GetArrayLength() == 0)
            {
                return [];
            }

            found = found[0];
        }

        if (found.ValueKind != JsonValueKind.Object || !found.TryGetProperty(last, out var items) || items.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return items.ValueKind == JsonValueKind.Array ? items.EnumerateArray().ToArray() : [items];
    }

    private sealed class Fields
    {
        public Fields(IReadOnlyList<MappingField> list, IReadOnlyList<string> keys)
        {
            List = list;
            Trie = PathTrie.Build(list.Select(f => f.Path));
            Names = [.. list.Select(f => JsonEncodedText.Encode(f.Name, JavaScriptEncoder.UnsafeRelaxedJsonEscaping))];
            KeyIndex = [.. list.Select(f => keys.ToList().IndexOf(f.Name))];
        }

        public IReadOnlyList<MappingField> List { get; }

        public PathTrie Trie { get; }

        public JsonEncodedText[] Names { get; }

        public int[] KeyIndex { get; }
    }

    private sealed class Compiled(MessageMapping m)
    {
        public Fields Master { get; } = new(m.Fields, m.Keys);

        public Fields? Detail { get; } = m.Detail is { } d ? new Fields(d.Fields, []) : null;

        public PathTrie? DetailPrefix { get; } = m.Detail is { } d ? PathTrie.Build([string.Join('/', SourcePath.Split(d.Path)[..^1])]) : null;

        public string? DetailLast { get; } = m.Detail is { } d ? SourcePath.Split(d.Path)[^1] : null;

        public PathTrie? SourceId { get; } = m.SourceIdPath is { } p ? PathTrie.Build([p]) : null;
    }
}
