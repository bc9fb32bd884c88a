using System.Text.Json;
using Grove.Messages;

namespace Grove.Server.Endpoints.Messages;

/// <summary>The JSON shapes of messages (docs/messages.md).</summary>
internal static class MessageJson
{
    public static void Write(Utf8JsonWriter w, ReceiveResult r)
    {
        w.WriteStartObject();
        w.WriteNumber("id", r.Id);
        w.WriteString("partner", r.Partner);
        w.WriteString("type", r.Type);
        w.WriteString("sourceId", r.SourceId);
        w.WriteNumber("revision", r.Revision);
        w.WriteString("receivedAt", r.ReceivedAt);
        w.WriteBoolean("duplicate", r.Duplicate);
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, MessagePage page)
    {
        w.WriteStartObject();
        w.WriteStartArray("items");
        foreach (var m in page.Items)
        {
            w.WriteStartObject();
            Summary(w, m);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("next", page.Next);
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, MessageView v)
    {
        w.WriteStartObject();
        Summary(w, v.Message);
        w.WriteString("title", v.Mapping.Print.Title);
        w.WriteStartArray("fields");
        foreach (var f in v.Fields)
        {
            Field(w, f, withValue: true);
        }

        w.WriteEndArray();
        if (v.DetailTitle is not null)
        {
            w.WriteStartObject("detail");
            w.WriteString("title", v.DetailTitle);
            w.WriteStartArray("columns");
            foreach (var c in v.DetailColumns)
            {
                Field(w, c, withValue: false);
            }

            w.WriteEndArray();
            w.WriteStartArray("rows");
            foreach (var row in v.DetailRows)
            {
                w.WriteStartArray();
                foreach (var cell in row)
                {
                    w.WriteStringValue(cell);
                }

                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void Summary(Utf8JsonWriter w, MessageSummary m)
    {
        w.WriteNumber("id", m.Id);
        w.WriteString("partner", m.Partner);
        w.WriteString("type", m.Type);
        w.WriteString("receivedAt", m.ReceivedAt);
        w.WriteString("sourceId", m.SourceId);
        w.WriteNumber("revision", m.Revision);
        w.WritePropertyName("document");
        w.WriteRawValue(m.Document, skipInputValidation: true);
    }

    private static void Field(Utf8JsonWriter w, ShownField f, bool withValue)
    {
        w.WriteStartObject();
        w.WriteString("name", f.Name);
        w.WriteString("display", f.Display);
        if (withValue)
        {
            w.WriteString("value", f.Value);
            if (!f.Mapped)
            {
                w.WriteBoolean("mapped", false);
            }
        }

        w.WriteEndObject();
    }
}
