using System.Buffers;
using System.Text.Json;

namespace Grove.Tree.Internal;

/// <summary>
/// Reads the wire form of a <see cref="TreeObject"/> from UTF-8 in one forward pass (no document, no string copy of
/// the whole text). Custom keys are kept as one JSON object text and labels as JSON text, both parsed only when first
/// asked for, as rows read from the SQL indexers are: a page of rows then costs one scan of their bytes.
/// </summary>
internal static class ObjectJsonReader
{
    public static TreeObject Read(ReadOnlySpan<byte> utf8)
    {
        var r = new Utf8JsonReader(utf8);
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a tree object must be a JSON object");
        }

        string id = "", pid = "", nm = "";
        string? tp = null, mime = null, sha = null, mnt = null, ln = null, c = null, m = null, g = null, ph = null, labels = null;
        var race = ObjectRace.File;
        long len = 0, ct = 0, lm = 0, v = 0;
        long? expi = null;
        var md = 0;
        ArrayBufferWriter<byte>? meta = null;
        Utf8JsonWriter? metaWriter = null;
        try
        {
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var key = r.ValueSpan;
                var escaped = r.ValueIsEscaped;
                var name = escaped ? r.GetString()! : null;
                r.Read();
                switch (escaped ? Known(name!) : Known(key))
                {
                    case 1: id = Str(ref r) ?? ""; break;
                    case 2: pid = Str(ref r) ?? ""; break;
                    case 3: nm = Str(ref r) ?? ""; break;
                    case 4: race = r.TokenType == JsonTokenType.String && r.ValueTextEquals("DIR"u8) ? ObjectRace.Dir : ObjectRace.File; break;
                    case 5: tp = Str(ref r); break;
                    case 6: mime = Str(ref r); break;
                    case 7: len = Num(ref r) ?? 0; break;
                    case 8: sha = Str(ref r); break;
                    case 9: mnt = Str(ref r); break;
                    case 10: ln = Str(ref r); break;
                    case 11: labels = Raw(ref r, utf8); break;
                    case 12: c = Str(ref r); break;
                    case 13: m = Str(ref r); break;
                    case 14: g = Str(ref r); break;
                    case 15: md = (int)(Num(ref r) ?? 0); break;
                    case 16: ct = Num(ref r) ?? 0; break;
                    case 17: lm = Num(ref r) ?? 0; break;
                    case 18: expi = Num(ref r); break;
                    case 19: v = Num(ref r) ?? 0; break;
                    case 20: ph = Str(ref r); break;
                    case 0:
                        if (metaWriter is null)
                        {
                            meta = new ArrayBufferWriter<byte>(256);
                            metaWriter = new Utf8JsonWriter(meta);
                            metaWriter.WriteStartObject();
                        }

                        if (escaped)
                        {
                            metaWriter.WritePropertyName(name!);
                        }
                        else
                        {
                            metaWriter.WritePropertyName(key);
                        }

                        metaWriter.WriteRawValue(Slice(ref r, utf8), skipInputValidation: true);
                        break;
                    default:
                        r.Skip(); // A built-in key the wire form never carries (bk, d0, …).
                        break;
                }
            }

            metaWriter?.WriteEndObject();
            metaWriter?.Flush();
            return new TreeObject
            {
                Id = id, ParentId = pid, Name = nm, Race = race, Type = tp, Mime = mime, Length = len, Sha256 = sha,
                Mount = mnt, Link = ln, LabelsJson = labels, Creator = c, Modifier = m, Group = g, Mode = md,
                Created = ct, Modified = lm, Expires = expi, Version = v, Path = ph,
                MetaJson = meta is null ? null : System.Text.Encoding.UTF8.GetString(meta.WrittenSpan),
            };
        }
        finally
        {
            metaWriter?.Dispose();
        }
    }

    private static int Known(ReadOnlySpan<byte> k) => k.Length switch
    {
        1 => k[0] switch { (byte)'c' => 12, (byte)'m' => 13, (byte)'g' => 14, (byte)'v' => 19, _ => 0 },
        2 => k.SequenceEqual("id"u8) ? 1 : k.SequenceEqual("nm"u8) ? 3 : k.SequenceEqual("tp"u8) ? 5 : k.SequenceEqual("ln"u8) ? 10
            : k.SequenceEqual("md"u8) ? 15 : k.SequenceEqual("ct"u8) ? 16 : k.SequenceEqual("lm"u8) ? 17 : k.SequenceEqual("ph"u8) ? 20 : Other(k),
        3 => k.SequenceEqual("pid"u8) ? 2 : k.SequenceEqual("len"u8) ? 7 : k.SequenceEqual("mnt"u8) ? 9 : Other(k),
        4 => k.SequenceEqual("race"u8) ? 4 : k.SequenceEqual("mime"u8) ? 6 : k.SequenceEqual("lbls"u8) ? 11 : k.SequenceEqual("expi"u8) ? 18 : Other(k),
        6 => k.SequenceEqual("sha256"u8) ? 8 : Other(k),
        _ => Other(k),
    };

    private static int Known(string k) => Known(System.Text.Encoding.UTF8.GetBytes(k));

    // Note that the other built-in keys (bk, d0, d1, st, data) are never custom metadata: the reader drops them, as
    // ObjectJson.Read does.
    private static int Other(ReadOnlySpan<byte> k) => TreeObject.BuiltInKeys.Contains(System.Text.Encoding.UTF8.GetString(k)) ? -1 : 0;

    private static string? Str(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.String)
        {
            return r.GetString();
        }

        r.Skip();
        return null;
    }

    private static long? Num(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Number && r.TryGetInt64(out var n))
        {
            return n;
        }

        r.Skip();
        return null;
    }

    private static ReadOnlySpan<byte> Slice(ref Utf8JsonReader r, ReadOnlySpan<byte> utf8)
    {
        var start = (int)r.TokenStartIndex;
        r.Skip();
        return utf8[start..(int)r.BytesConsumed];
    }

    private static string? Raw(ref Utf8JsonReader r, ReadOnlySpan<byte> utf8) =>
        r.TokenType == JsonTokenType.StartArray ? System.Text.Encoding.UTF8.GetString(Slice(ref r, utf8)) : Skip(ref r);

    private static string? Skip(ref Utf8JsonReader r)
    {
        r.Skip();
        return null;
    }
}
