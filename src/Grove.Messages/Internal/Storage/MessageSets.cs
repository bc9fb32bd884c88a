using System.Text.Json.Nodes;
using Grove.Records;

namespace Grove.Messages.Internal.Storage;

/// <summary>
/// The record sets messages are stored in: <c>grove_messages</c> (one row per message: projected, indexed columns,
/// the mapped document and the original body, each Zstandard-compressed) and <c>grove_message_mappings</c> (the
/// mapping revisions messages were mapped with). Their tables are the ones messages kept before the records engine
/// (<c>grove_msg_messages</c>, <c>grove_msg_mappings</c>), so an upgraded database keeps its rows.
/// </summary>
internal static class MessageSets
{
    public const string Messages = "grove_messages";

    public const string Mappings = "grove_message_mappings";

    public const string MessagesTable = "grove_msg_messages";

    /// <summary>The business-key columns (<c>name␟value</c>, any key name in any of them).</summary>
    public static readonly string[] KeyColumns = ["k1", "k2", "k3", "k4"];

    public static RecordMapping MessagesMapping(HistoryPolicy? history)
    {
        var fields = new JsonArray
        {
            Field("id", "Long", notNull: true, auto: true),
            Field("partner", "String", notNull: true),
            Field("type", "String", notNull: true),
            Field("received", "Long", notNull: true),
            Field("source_id", "String"),
            Field("rev", "Long", notNull: true),
        };
        foreach (var k in KeyColumns)
        {
            fields.Add(Field(k, "String"));
        }

        fields.Add(Field("fmt", "Integer", notNull: true));
        fields.Add(Field("doc", "Bytes", notNull: true));
        fields.Add(Field("body", "Bytes", notNull: true));
        fields.Add(Field("origin", "String"));
        var indexes = new JsonArray
        {
            Index("source", unique: true, "partner", "source_id"),
            Index("type", unique: false, "partner", "type", "id"),
            Index("received", unique: false, "received", "id"),
            Index("origin", unique: false, "origin"),
        };
        foreach (var k in KeyColumns)
        {
            indexes.Add(Index(k, unique: false, k));
        }

        var mapping = new JsonObject
        {
            ["tableName"] = MessagesTable,
            ["fields"] = fields,
            ["pks"] = new JsonArray("id"),
            ["indexes"] = indexes,
        };
        var parsed = RecordMapping.Parse(mapping.ToJsonString());
        return history is null ? parsed : parsed with { History = history };
    }

    public static RecordMapping MappingsMapping() => RecordMapping.Parse(new JsonObject
    {
        ["tableName"] = "grove_msg_mappings",
        ["fields"] = new JsonArray
        {
            Field("partner", "String", notNull: true),
            Field("type", "String", notNull: true),
            Field("rev", "Long", notNull: true),
            Field("content", "String", notNull: true),
        },
        ["pks"] = new JsonArray("partner", "type", "rev"),
    }.ToJsonString());

    /// <summary>Defines both sets where they are missing or differ from this code's mappings (a define is a catalog revision, so an unchanged one is not repeated).</summary>
    public static async Task EnsureAsync(RecordService records, HistoryPolicy? history, CancellationToken ct)
    {
        var names = await records.ListSetsAsync(ct);
        foreach (var (name, mapping) in new[] { (Messages, MessagesMapping(history)), (Mappings, MappingsMapping()) })
        {
            if (!names.Contains(name) || (await records.GetSetAsync(name, ct)).Mapping.ToJson() != mapping.ToJson())
            {
                await records.DefineEngineSetAsync(name, mapping, ct);
            }
        }
    }

    private static JsonObject Field(string name, string type, bool notNull = false, bool auto = false)
    {
        var f = new JsonObject { ["name"] = name, ["type"] = type, ["casesensitive"] = true };
        if (notNull)
        {
            f["notNull"] = true;
        }

        if (auto)
        {
            f["autoIncreasement"] = true;
        }

        return f;
    }

    private static JsonObject Index(string name, bool unique, params string[] fields) =>
        new() { ["name"] = name, ["unique"] = unique, ["fields"] = new JsonArray([.. fields.Select(f => (JsonNode)f)]) };
}
