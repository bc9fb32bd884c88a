using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Grove.Messages.Internal.Mapping;
using Grove.Messages.Internal.Storage;

namespace Grove.Messages.Internal.Migration;

/// <summary>
/// The fast form of <see cref="LegacyMapper"/>: the rows arrive as UTF-8 (<see cref="Utf8Rows"/>) and the document is
/// written as UTF-8 bytes with no string per row. A legacy message's fields come in the same order message after
/// message, so the field a row position had last time is checked first (one byte comparison) before a lookup by name;
/// a value with nothing to escape is copied as it is. Same document, counts and keys as the string form.
/// </summary>
internal sealed partial class LegacyMapper
{
    private static readonly SearchValues<byte> NeedsEscape = SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);

    private readonly Dictionary<string, int> _nameIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<MappingField, int> _fieldIndex = new(ReferenceEqualityComparer.Instance);
    private readonly List<(byte[] Name, int Field, bool SameName)> _order = [];
    private readonly ArrayBufferWriter<byte> _scratch = new(256);
    private readonly bool _compressDocument;
    private readonly int[] _stamp;
    private int _generation;

    public NewMessage Build(string partner, string type, string sourceId, long receivedMs, Utf8Rows rows, RangeCounts counts, string origin)
    {
        _doc.ResetWrittenCount();
        _body.ResetWrittenCount();
        _written.Clear();
        _generation++;
        var keys = new KeyValuePair<string, string?>[Mapping.Keys.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = new(Mapping.Keys[i], null);
        }

        var verbatim = _allowSameAsDocument;
        Put(_doc, "{"u8);
        Put(_body, "{"u8);
        var firstDoc = true;
        for (var i = 0; i < rows.Count; i++)
        {
            var name = rows.Field(i);
            var raw = rows.Value(i);
            var (fi, sameName) = Lookup(i, name);
            var field = fi < 0 ? null : Mapping.Fields[fi];
            Put(_body, i == 0 ? "\""u8 : ",\""u8);
            PutEscaped(_body, name);
            Put(_body, "\":"u8);
            if (rows.IsNull(i))
            {
                Put(_body, "null"u8);
            }
            else
            {
                PutString(_body, raw);
            }

            string? text = null;
            if (raw.IsEmpty)
            {
                verbatim = false;
                text = field?.Default;
                if (string.IsNullOrEmpty(text))
                {
                    continue;
                }

                counts.Filled++;
            }

            Put(_doc, firstDoc ? "\""u8 : ",\""u8);
            firstDoc = false;
            string docName;
            if (field is null)
            {
                counts.Unmapped++;
                var legacy = Encoding.UTF8.GetString(name);
                docName = TryMark(legacy) ? legacy : Unique2(legacy);
                verbatim &= ReferenceEquals(docName, legacy);
                PutEscaped(_doc, Encoding.UTF8.GetBytes(docName));
                Put(_doc, "\":"u8);
                PutValue(text, raw);
                continue;
            }

            var plain = _stamp[fi] != _generation;
            _stamp[fi] = _generation;
            docName = plain ? field.Name : Unique2(field.Name);
            verbatim &= plain && sameName;
            if (plain && sameName)
            {
                PutEscaped(_doc, name);
            }
            else
            {
                PutEscaped(_doc, Encoding.UTF8.GetBytes(docName));
            }

            Put(_doc, "\":"u8);
            if (field.Type == FieldType.String)
            {
                PutValue(text, raw);
            }
            else
            {
                text ??= Encoding.UTF8.GetString(raw);
                if (ValueConverter.Convert(field, text, out var converted) is null && converted is not null)
                {
                    _scratch.ResetWrittenCount();
                    using (var w = new Utf8JsonWriter(_scratch, WriterOptions))
                    {
                        converted.WriteTo(w);
                    }

                    Put(_doc, _scratch.WrittenSpan);
                    text = ValueConverter.Text(converted) ?? text;
                    verbatim = false;
                }
                else
                {
                    // Note that legacy data is what it is: a value that does not convert is kept as its text and counted.
                    counts.Unconverted++;
                    PutString(_doc, Encoding.UTF8.GetBytes(text));
                }
            }

            if (plain && _keys.Contains(field.Name))
            {
                var k = Array.FindIndex(keys, x => x.Key == field.Name);
                keys[k] = new(field.Name, text ?? Encoding.UTF8.GetString(raw));
            }
        }

        for (var f = 0; f < _stamp.Length; f++)
        {
            if (Mapping.Fields[f].Required && _stamp[f] != _generation)
            {
                counts.MissingRequired++;
            }
        }

        Put(_doc, "}"u8);
        Put(_body, "}"u8);
        counts.Rows += rows.Count;
        counts.Messages++;
        return new NewMessage(
            partner,
            type,
            receivedMs,
            sourceId,
            Mapping.Revision,
            keys,
            _compressDocument ? BodyCodec.Compress(_doc.WrittenSpan) : _doc.WrittenSpan.ToArray(),
            verbatim ? BodyCodec.SameAsDocument : BodyCodec.Compress(_body.WrittenSpan),
            SourceFormat.Json) { Origin = origin, DocumentCompressed = _compressDocument };
    }

    private (int Field, bool SameName) Lookup(int position, ReadOnlySpan<byte> name)
    {
        if (position < _order.Count && name.SequenceEqual(_order[position].Name))
        {
            return (_order[position].Field, _order[position].SameName);
        }

        var s = Encoding.UTF8.GetString(name);
        var field = _byLegacyName.GetValueOrDefault(s);
        var entry = (name.ToArray(), field is null ? -1 : _fieldIndex[field], field?.Name == s);
        if (position < _order.Count)
        {
            _order[position] = entry;
        }
        else if (position == _order.Count)
        {
            _order.Add(entry);
        }

        return (entry.Item2, entry.Item3);
    }

    /// <summary>Marks a document name as written; false when it already was (a mapped field's name or any other).</summary>
    private bool TryMark(string name)
    {
        if (_nameIndex.TryGetValue(name, out var fi))
        {
            var fresh = _stamp[fi] != _generation;
            _stamp[fi] = _generation;
            return fresh;
        }

        return _written.Add(name);
    }

    private string Unique2(string name)
    {
        for (var i = 2; ; i++)
        {
            var n = name + "#" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (TryMark(n))
            {
                return n;
            }
        }
    }

    private void PutValue(string? text, ReadOnlySpan<byte> raw)
    {
        if (text is null)
        {
            PutString(_doc, raw);
        }
        else
        {
            PutString(_doc, Encoding.UTF8.GetBytes(text));
        }
    }

    private static void PutString(ArrayBufferWriter<byte> w, ReadOnlySpan<byte> utf8)
    {
        Put(w, "\""u8);
        PutEscaped(w, utf8);
        Put(w, "\""u8);
    }

    private static void PutEscaped(ArrayBufferWriter<byte> w, ReadOnlySpan<byte> utf8)
    {
        if (utf8.IndexOfAny(NeedsEscape) < 0 && Utf8.IsValid(utf8))
        {
            Put(w, utf8);
            return;
        }

        // Note that rare values (quotes, control characters, broken UTF-8) go through the same encoder as the string form.
        var encoded = JsonEncodedText.Encode(Encoding.UTF8.GetString(utf8), WriterOptions.Encoder);
        Put(w, encoded.EncodedUtf8Bytes);
    }

    private static void Put(ArrayBufferWriter<byte> w, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(w.GetSpan(bytes.Length));
        w.Advance(bytes.Length);
    }
}
