using System.Text.Json;
using Grove.Logs;

namespace Grove.Server.Endpoints.Logs;

/// <summary>The wire form of tasks, pages and lines (docs/logs.md): camelCase, times in ms since the Unix epoch.</summary>
internal static class LogJson
{
    /// <summary>A status's wire name: <c>running</c>, <c>succeeded</c>, <c>failed</c>, <c>canceled</c>, <c>abandoned</c>.</summary>
    public static string Status(LogTaskStatus s) => s.ToString().ToLowerInvariant();

    public static void WriteTask(Utf8JsonWriter w, LogTask t)
    {
        w.WriteStartObject();
        w.WriteString("id", t.Id);
        w.WriteString("name", t.Name);
        if (t.Owner is null)
        {
            w.WriteNull("owner");
        }
        else
        {
            w.WriteString("owner", t.Owner);
        }

        w.WriteStartArray("labels");
        foreach (var label in t.Labels)
        {
            w.WriteStringValue(label);
        }

        w.WriteEndArray();
        w.WriteString("status", Status(t.Status));
        WriteOptional(w, "exitCode", t.ExitCode);
        w.WriteNumber("created", t.Created);
        WriteOptional(w, "finished", t.Finished);
        w.WriteNumber("lastActivity", t.LastActivity);
        w.WriteNumber("lines", t.Lines);
        w.WriteNumber("bytes", t.Bytes);
        w.WriteBoolean("truncated", t.Truncated);
        w.WriteNumber("droppedLines", t.DroppedLines);
        w.WriteNumber("droppedBytes", t.DroppedBytes);
        w.WriteNumber("linesCut", t.LinesCut);
        w.WriteString("storage", t.Storage == LogStorage.Archived ? "archived" : "live");
        w.WriteString("path", t.Path);
        w.WriteEndObject();
    }

    /// <summary><c>{"from","next","total","finished","storage","lines":[…]}</c>.</summary>
    public static void WritePage(Utf8JsonWriter w, LogPage page)
    {
        w.WriteStartObject();
        w.WriteNumber("from", page.From);
        w.WriteNumber("next", page.Next);
        w.WriteNumber("total", page.Total);
        w.WriteBoolean("finished", page.Finished);
        w.WriteString("storage", page.Storage == LogStorage.Archived ? "archived" : "live");
        w.WriteStartArray("lines");
        foreach (var line in page.Lines)
        {
            WriteLine(w, line);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary><c>{"n":41,"t":1767225600000,"text":"…"}</c>.</summary>
    public static void WriteLine(Utf8JsonWriter w, LogLine line)
    {
        w.WriteStartObject();
        w.WriteNumber("n", line.Number);
        w.WriteNumber("t", line.Timestamp);
        w.WriteString("text", line.Text);
        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
