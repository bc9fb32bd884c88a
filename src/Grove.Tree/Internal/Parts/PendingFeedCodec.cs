using System.Buffers;
using System.Text.Json;

namespace Grove.Tree.Internal.Parts;

/// <summary>
/// A commit's changes as the bytes an index keeps for the feed (<see cref="Storage.ChangeSet.Feed"/>):
/// <c>{"a": time, "c": [[kind, path, old path, id, dir, version, user], …]}</c>.
/// </summary>
internal static class PendingFeedCodec
{
    public static byte[] Encode(IReadOnlyList<PendingChange> changes, long at)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("a", at);
            w.WriteStartArray("c");
            foreach (var c in changes)
            {
                w.WriteStartArray();
                w.WriteNumberValue((int)c.Kind);
                w.WriteStringValue(c.Path);
                Text(w, c.OldPath);
                w.WriteStringValue(c.Id);
                w.WriteBooleanValue(c.IsDir);
                w.WriteNumberValue(c.Version);
                Text(w, c.User);
                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="FormatException">The bytes are not an entry this codec wrote.</exception>
    public static (List<PendingChange> Changes, long At) Decode(ReadOnlyMemory<byte> entry)
    {
        try
        {
            using var doc = JsonDocument.Parse(entry);
            var root = doc.RootElement;
            var changes = new List<PendingChange>();
            foreach (var c in root.GetProperty("c").EnumerateArray())
            {
                changes.Add(new PendingChange((ChangeKind)c[0].GetInt32(), c[1].GetString()!, c[2].GetString(), c[3].GetString()!, c[4].GetBoolean(), c[5].GetInt64(), c[6].GetString()));
            }

            return (changes, root.GetProperty("a").GetInt64());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or ArgumentNullException)
        {
            throw new FormatException("a pending change feed entry is not readable", e);
        }
    }

    private static void Text(Utf8JsonWriter w, string? s)
    {
        if (s is null)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteStringValue(s);
        }
    }
}
