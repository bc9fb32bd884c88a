using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Grove.Messages.Internal.Mapping;
using Grove.Messages.Internal.Storage;

namespace Grove.Messages.Internal.Migration;

/// <summary>What one range's messages counted while they were mapped.</summary>
internal sealed class RangeCounts
{
    public long Rows;
    public long Messages;
    public long Unmapped;
    public long Unconverted;
    public long MissingRequired;
    public long Filled;
}

/// <summary>
/// Turns one legacy message (its rows, in order) into a document with one mapping: a row whose field the mapping
/// knows (by path or internal name) is converted to the field's type (kept as text when the legacy value does not
/// convert); a row it does not know is kept under its legacy name, never dropped. The original is the rows as one
/// JSON object, compressed.
/// </summary>
internal sealed partial class LegacyMapper
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly Dictionary<string, MappingField> _byLegacyName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _keys;
    private readonly ArrayBufferWriter<byte> _doc = new(16 * 1024);
    private readonly ArrayBufferWriter<byte> _body = new(16 * 1024);
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    private readonly bool _allowSameAsDocument;

    /// <param name="mapping">The mapping.</param>
    /// <param name="allowSameAsDocument">Whether a message whose document is byte for byte its original may store the original as empty (see <see cref="BodyCodec.SameAsDocument"/>).</param>
    /// <param name="compressDocument">Whether <see cref="Build(string, string, string, long, Utf8Rows, RangeCounts, string)"/> hands the document over Zstandard-compressed (SQLite's doc column).</param>
    public LegacyMapper(MessageMapping mapping, bool allowSameAsDocument = false, bool compressDocument = false)
    {
        Mapping = mapping;
        _allowSameAsDocument = allowSameAsDocument;
        _compressDocument = compressDocument;
        for (var i = 0; i < mapping.Fields.Count; i++)
        {
            _nameIndex.TryAdd(mapping.Fields[i].Name, i);
            _fieldIndex.TryAdd(mapping.Fields[i], i);
        }

        _stamp = new int[mapping.Fields.Count];
        foreach (var f in mapping.Fields)
        {
            _byLegacyName.TryAdd(f.Path.TrimStart('$', '/'), f);
        }

        foreach (var f in mapping.Fields)
        {
            _byLegacyName.TryAdd(f.Name, f);
        }

        _keys = [.. mapping.Keys];
    }

    public MessageMapping Mapping { get; }

    /// <summary>The legacy field a mapping field reads, for verification.</summary>
    public MappingField? FieldOf(string legacyName) => _byLegacyName.GetValueOrDefault(legacyName);

    /// <summary>The document value a legacy row becomes: the converted value's text, or the raw text when it does not convert.</summary>
    public static string? Expected(MappingField? field, string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            raw = field?.Default;
        }

        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        return field is not null && ValueConverter.Convert(field, raw, out var v) is null ? ValueConverter.Text(v) : raw;
    }

    public NewMessage Build(string partner, string type, string sourceId, long receivedMs, List<(string Field, string? Value)> rows, RangeCounts counts, string origin)
    {
        _doc.ResetWrittenCount();
        _body.ResetWrittenCount();
        _written.Clear();
        var keys = new KeyValuePair<string, string?>[Mapping.Keys.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = new(Mapping.Keys[i], null);
        }

        var verbatim = _allowSameAsDocument;
        using (var doc = new Utf8JsonWriter(_doc, WriterOptions))
        using (var body = new Utf8JsonWriter(_body, WriterOptions))
        {
            doc.WriteStartObject();
            body.WriteStartObject();
            foreach (var (name, raw) in rows)
            {
                body.WriteString(name, raw);
                var field = _byLegacyName.GetValueOrDefault(name);
                var value = raw;
                if (string.IsNullOrEmpty(value))
                {
                    verbatim = false;
                    value = field?.Default;
                    if (string.IsNullOrEmpty(value))
                    {
                        continue;
                    }

                    counts.Filled++;
                }

                if (field is null)
                {
                    counts.Unmapped++;
                    var unmappedName = Unique(name);
                    verbatim &= ReferenceEquals(unmappedName, name);
                    doc.WriteString(unmappedName, value);
                    continue;
                }

                var docName = Unique(field.Name);
                verbatim &= docName == name;
                doc.WritePropertyName(docName);
                if (field.Type == FieldType.String)
                {
                    doc.WriteStringValue(value);
                }
                else if (ValueConverter.Convert(field, value, out var converted) is null && converted is not null)
                {
                    converted.WriteTo(doc);
                    value = ValueConverter.Text(converted) ?? value;
                    verbatim = false;
                }
                else
                {
                    // Note that legacy data is what it is: a value that does not convert is kept as its text and counted.
                    counts.Unconverted++;
                    doc.WriteStringValue(value);
                }

                if (_keys.Contains(field.Name) && docName == field.Name)
                {
                    var k = Array.FindIndex(keys, x => x.Key == field.Name);
                    keys[k] = new(field.Name, value);
                }
            }

            foreach (var f in Mapping.Fields)
            {
                if (f.Required && !_written.Contains(f.Name))
                {
                    counts.MissingRequired++;
                }
            }

            doc.WriteEndObject();
            body.WriteEndObject();
        }

        counts.Rows += rows.Count;
        counts.Messages++;
        return new NewMessage(
            partner,
            type,
            receivedMs,
            sourceId,
            Mapping.Revision,
            keys,
            _doc.WrittenSpan.ToArray(),
            verbatim ? BodyCodec.SameAsDocument : BodyCodec.Compress(_body.WrittenSpan),
            SourceFormat.Json) { Origin = origin };
    }

    private string Unique(string name)
    {
        if (_written.Add(name))
        {
            return name;
        }

        // Note that a field repeated in one legacy message (or an unmapped name equal to a mapped one) is kept under name#2, #3…
        for (var i = 2; ; i++)
        {
            var n = name + "#" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (_written.Add(n))
            {
                return n;
            }
        }
    }
}
