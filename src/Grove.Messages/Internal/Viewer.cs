using System.Text.Json.Nodes;
using Grove.Messages.Internal.Mapping;
using Grove.Messages.Internal.Storage;

namespace Grove.Messages.Internal;

/// <summary>Builds what a message shows: display names and display values from the mapping revision it was mapped with.</summary>
internal static class Viewer
{
    public static MessageSummary Summary(StoredMessage m) => new(
        m.Id, m.Partner, m.Type, DateTimeOffset.FromUnixTimeMilliseconds(m.ReceivedMs), m.SourceId, m.Revision, m.DocumentJson);

    public static MessageView View(StoredMessage m, MessageMapping mapping)
    {
        var doc = JsonNode.Parse(m.DocumentJson) as JsonObject ?? [];
        var fields = new List<ShownField>();
        foreach (var f in mapping.Fields)
        {
            fields.Add(new ShownField(f.Name, f.Display, doc[f.Name] is { } v ? ValueConverter.Display(f, v) : ""));
        }

        var detailName = mapping.Detail?.Name;
        foreach (var (name, value) in doc)
        {
            // Note that fields the mapping does not know (a migrated message's unmapped fields) are shown, never dropped.
            if (name != detailName && mapping.Field(name) is null)
            {
                fields.Add(new ShownField(name, name, ValueConverter.Text(value) ?? value?.ToJsonString() ?? "", Mapped: false));
            }
        }

        if (mapping.Detail is not { } detail)
        {
            return new MessageView { Message = Summary(m), Mapping = mapping, Document = doc, Fields = fields };
        }

        var columns = mapping.Print.Columns.Select(c => detail.Fields.First(f => f.Name == c)).ToArray();
        var rows = new List<IReadOnlyList<string>>();
        if (doc[detail.Name] is JsonArray arr)
        {
            foreach (var row in arr)
            {
                rows.Add(columns.Select(c => row?[c.Name] is { } v ? ValueConverter.Display(c, v) : "").ToArray());
            }
        }

        return new MessageView
        {
            Message = Summary(m),
            Mapping = mapping,
            Document = doc,
            Fields = fields,
            DetailTitle = detail.Display,
            DetailColumns = columns.Select(c => new ShownField(c.Name, c.Display, "")).ToArray(),
            DetailRows = rows,
        };
    }
}
