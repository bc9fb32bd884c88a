using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grove.Cli.Records;

namespace Grove.Cli.Commands.Records;

/// <summary><c>grove records define|import|get|find|update|rm|rotate|stats</c>: record sets on a server or in the data folder.</summary>
internal static class RecordsCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("records", "Record sets (docs/records.md): define, import NDJSON/CSV, get, find, update, rm, rotate, stats.");
        var set = new Argument<string>("set") { Description = "The record set's name." };
        var key = new Argument<string[]>("key") { Description = "The key: one value per key field.", Arity = ArgumentArity.OneOrMore };

        var mapping = new Option<string>("--mapping") { Description = "The mapping file (seed 003 format + history).", HelpName = "FILE.json", Required = true };
        var define = new Command("define", "Define a record set, or add fields and indexes to it.") { set, mapping };
        app.SetAction(define, async (s, r, ct) =>
        {
            await using var b = await IRecordsBackend.OpenAsync(s, ct);
            Print(s, await b.DefineAsync(r.GetValue(set)!, await File.ReadAllTextAsync(r.GetValue(mapping)!, ct), ct));
            return ExitCodes.Ok;
        });

        var file = new Argument<string>("file") { Description = "Rows: .ndjson (one JSON object per line) or .csv (a header of field names)." };
        var import = new Command("import", "Load rows in committed chunks, with progress on stderr.") { set, file };
        app.SetAction(import, async (s, r, ct) =>
        {
            await using var b = await IRecordsBackend.OpenAsync(s, ct);
            var n = await b.ImportAsync(r.GetValue(set)!, r.GetValue(file)!, new Progress(s), ct);
            if (s.Json)
            {
                s.Out.WriteLine($"{{\"rows\":{n}}}");
            }
            else
            {
                s.Out.WriteLine($"imported {n} rows");
            }

            return ExitCodes.Ok;
        });

        var get = new Command("get", "Print the row with the key (from the main or a history table).") { set, key };
        app.SetAction(get, async (s, r, ct) =>
        {
            await using var b = await IRecordsBackend.OpenAsync(s, ct);
            var row = await b.GetAsync(r.GetValue(set)!, Key(r.GetValue(key)!), ct)
                ?? throw new CliException("not_found", $"no row with key {string.Join(',', r.GetValue(key)!)}", ExitCodes.UserError);
            Print(s, row);
            return ExitCodes.Ok;
        });

        var fields = new Option<string>("--set") { Description = "The fields to change, as a JSON object (include the version field's value read).", HelpName = "JSON", Required = true };
        var update = new Command("update", "Update fields of the row with the key (409 when its version moved on).") { set, key, fields };
        app.SetAction(update, async (s, r, ct) =>
        {
            await using var b = await IRecordsBackend.OpenAsync(s, ct);
            Print(s, await b.UpdateAsync(r.GetValue(set)!, Key(r.GetValue(key)!), r.GetValue(fields)!, ct));
            return ExitCodes.Ok;
        });

        var rm = new Command("rm", "Delete the row with the key.") { set, key };
        app.SetAction(rm, async (s, r, ct) =>
        {
            await using var b = await IRecordsBackend.OpenAsync(s, ct);
            if (!await b.DeleteAsync(r.GetValue(set)!, Key(r.GetValue(key)!), ct))
            {
                throw new CliException("not_found", $"no row with key {string.Join(',', r.GetValue(key)!)}", ExitCodes.UserError);
            }

            s.Out.WriteLine(s.Json ? "{\"deleted\":true}" : "deleted");
            return ExitCodes.Ok;
        });

        var rotate = new Command("rotate", "Move rows beyond mainRows into history tables now, with progress on stderr (local mode).") { set };
        app.SetAction(rotate, async (s, r, ct) =>
        {
            await using var b = await IRecordsBackend.OpenAsync(s, ct);
            Print(s, await b.RotateAsync(r.GetValue(set)!, new Progress(s, "moved"), ct));
            return ExitCodes.Ok;
        });

        var stats = new Command("stats", "Each table with its rows, and the hot cache's hit rate.") { set };
        app.SetAction(stats, async (s, r, ct) =>
        {
            await using var b = await IRecordsBackend.OpenAsync(s, ct);
            var st = await b.StatsAsync(r.GetValue(set)!, ct);
            if (s.Json)
            {
                Print(s, st);
                return ExitCodes.Ok;
            }

            s.Out.WriteLine($"{"TABLE",-40}  {"KIND",-7}  {"ROWS",12}");
            foreach (var t in st.GetProperty("tables").EnumerateArray())
            {
                s.Out.WriteLine($"{t.GetProperty("name").GetString(),-40}  {t.GetProperty("kind").GetString(),-7}  {t.GetProperty("rows").GetInt64(),12:N0}");
            }

            s.Out.WriteLine($"cache hit rate {st.GetProperty("cacheHitRate").GetDouble():P1}");
            return ExitCodes.Ok;
        });

        command.Subcommands.Add(define);
        command.Subcommands.Add(import);
        command.Subcommands.Add(get);
        command.Subcommands.Add(RecordsFindCommand.Create(app, set));
        command.Subcommands.Add(update);
        command.Subcommands.Add(rm);
        command.Subcommands.Add(rotate);
        command.Subcommands.Add(stats);
        return command;
    }

    internal static object[] Key(string[] values) => [.. values];

    internal static void Print(CommandSession s, JsonElement e) =>
        s.Out.WriteLine(s.Json ? e.GetRawText() : JsonSerializer.Serialize(e, new JsonSerializerOptions { WriteIndented = true }));

    private sealed class Progress(CommandSession s, string verb = "committed") : IProgress<long>
    {
        public void Report(long value)
        {
            if (!s.Json)
            {
                s.Error.WriteLine($"{value:N0} rows {verb}");
            }
        }
    }
}

/// <summary><c>grove records find</c>: a page in one global order across the main and history tables.</summary>
internal static class RecordsFindCommand
{
    public static Command Create(CliApp app, Argument<string> set)
    {
        var where = new Option<string?>("--where") { Description = "The filter, a JSON object over mapped fields.", HelpName = "JSON" };
        var sort = new Option<string?>("--sort") { Description = "Sort keys, comma-separated (-name: descending).", HelpName = "KEYS" };
        var history = new Option<string?>("--history") { Description = "History tables: 0, N (most recent) or all (default).", HelpName = "N|all" };
        var limit = new Option<int?>("--limit") { Description = "Rows per page.", HelpName = "N" };
        var after = new Option<string?>("--after") { Description = "The cursor of the next page (printed on stderr).", HelpName = "CURSOR" };
        var page = new Option<int?>("--page") { Description = "A page number instead of a cursor.", HelpName = "N" };
        var fields = new Option<string?>("--fields") { Description = "The fields to print, comma-separated.", HelpName = "a,b" };
        var count = new Option<bool>("--count") { Description = "Count every matching row." };
        var find = new Command("find", "Find rows across the main and history tables in one global order.") { set, where, sort, history, limit, after, page, fields, count };
        app.SetAction(find, async (s, r, ct) =>
        {
            var q = new JsonObject();
            if (r.GetValue(where) is { } w)
            {
                q["where"] = JsonNode.Parse(w);
            }

            if (r.GetValue(sort) is { } so)
            {
                q["sort"] = new JsonArray([.. so.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => (JsonNode)JsonValue.Create(x))]);
            }

            if (r.GetValue(fields) is { } fs)
            {
                q["fields"] = new JsonArray([.. fs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => (JsonNode)JsonValue.Create(x))]);
            }

            if (r.GetValue(history) is { } h && h != "all")
            {
                q["history"] = int.TryParse(h, out var n) ? n : throw new CliException("usage", "--history is a number or all", ExitCodes.Usage);
            }

            q["limit"] = r.GetValue(limit);
            q["after"] = r.GetValue(after);
            q["page"] = r.GetValue(page);
            q["count"] = r.GetValue(count);
            foreach (var k in q.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
            {
                q.Remove(k);
            }

            await using var b = await IRecordsBackend.OpenAsync(s, ct);
            var result = await b.FindAsync(r.GetValue(set)!, q.ToJsonString(), ct);
            if (s.Json)
            {
                s.Out.WriteLine(result.GetRawText());
                return ExitCodes.Ok;
            }

            foreach (var row in result.GetProperty("items").EnumerateArray())
            {
                s.Out.WriteLine(row.GetRawText());
            }

            if (result.TryGetProperty("total", out var t) && t.ValueKind == JsonValueKind.Number)
            {
                s.Error.WriteLine($"total {t.GetInt64()}");
            }

            s.WriteNext(result.TryGetProperty("next", out var next) ? next.GetString() : null);
            return ExitCodes.Ok;
        });
        return find;
    }
}
