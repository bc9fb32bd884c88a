using System.Text.Json;

namespace Grove.Tree;

/// <summary>The JSON form of a <see cref="TreeChange"/>, the same in the change feed's events, webhooks and queues.</summary>
public static class ChangeJson
{
    /// <summary>The kind's name in JSON: <c>create</c>, <c>write</c>, <c>meta</c>, <c>move</c>, <c>delete</c>.</summary>
    public static string Name(ChangeKind kind) => kind switch
    {
        ChangeKind.Create => "create",
        ChangeKind.Write => "write",
        ChangeKind.Meta => "meta",
        ChangeKind.Move => "move",
        ChangeKind.Delete => "delete",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The kind a name stands for, or null.</summary>
    public static ChangeKind? Parse(string name) => name switch
    {
        "create" => ChangeKind.Create,
        "write" => ChangeKind.Write,
        "meta" => ChangeKind.Meta,
        "move" => ChangeKind.Move,
        "delete" => ChangeKind.Delete,
        _ => null,
    };

    /// <summary>Writes the change as an object: <c>revision kind path oldPath id dir version user time</c>.</summary>
    public static void Write(Utf8JsonWriter w, TreeChange c)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(c);
        w.WriteStartObject();
        w.WriteNumber("revision", c.Revision);
        w.WriteString("kind", Name(c.Kind));
        w.WriteString("path", c.Path);
        if (c.OldPath is not null)
        {
            w.WriteString("oldPath", c.OldPath);
        }

        w.WriteString("id", c.Id);
        w.WriteBoolean("dir", c.IsDir);
        w.WriteNumber("version", c.Version);
        if (c.User is not null)
        {
            w.WriteString("user", c.User);
        }

        w.WriteNumber("time", c.Time);
        w.WriteEndObject();
    }

    /// <summary>The change as UTF-8 JSON bytes.</summary>
    public static byte[] ToUtf8(TreeChange c)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            Write(w, c);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a change written by <see cref="Write"/>.</summary>
    public static TreeChange Read(JsonElement e) => new(
        e.GetProperty("revision").GetInt64(),
        Parse(e.GetProperty("kind").GetString() ?? "") ?? throw new JsonException("unknown change kind"),
        e.GetProperty("path").GetString() ?? "",
        e.TryGetProperty("oldPath", out var o) ? o.GetString() : null,
        e.GetProperty("id").GetString() ?? "",
        e.GetProperty("dir").GetBoolean(),
        e.GetProperty("version").GetInt64(),
        e.TryGetProperty("user", out var u) ? u.GetString() : null,
        e.GetProperty("time").GetInt64());
}
