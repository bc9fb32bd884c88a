using System.Runtime.CompilerServices;
using System.Text.Json;
using Grove.Identity;
using Grove.Records;
using Grove.Server.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Grove.Server.Endpoints.Records;

/// <summary>Rows: insert (one, a batch, a bulk NDJSON or CSV stream), get, update, upsert and delete by key.</summary>
internal static class RecordRowEndpoints
{
    public static void Map(RouteGroupBuilder group, GroveServerOptions options, Func<RecordService> records)
    {
        group.MapPost("/{set}/rows", async (string set, HttpContext ctx, RecordService records, TreeAccess guard) =>
        {
            await RecordAccess.RequireAsync(ctx, guard, set, Access.Write);
            using var body = await JsonBody.ReadAsync(ctx, options.MaxJsonBytes);
            var upsert = QueryArgs.Bool(ctx.Request, "upsert", false);
            var row = upsert
                ? await records.UpsertAsync(set, RecordJson.Row(body.RootElement), ctx.RequestAborted)
                : await records.InsertAsync(set, RecordJson.Row(body.RootElement), ctx.RequestAborted);
            return JsonOut.Write(w => RecordJson.WriteRow(w, row), upsert ? StatusCodes.Status200OK : StatusCodes.Status201Created);
        }).WithSummary("Insert a row (a JSON object of fields) → 201; ?upsert=true updates the row with the same key instead. A duplicate key is 409.");

        group.MapPost("/{set}/batch", async (string set, HttpContext ctx, RecordService records, TreeAccess guard) =>
        {
            await RecordAccess.RequireAsync(ctx, guard, set, Access.Write);
            using var body = await JsonBody.ReadAsync(ctx, options.MaxJsonBytes);
            if (!body.RootElement.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array)
            {
                throw new RecordsException(RecordsErrorCode.InvalidArgument, "a batch is {\"rows\": [row, …]}");
            }

            var skip = string.Equals(ctx.Request.Query["skipDuplicates"], "true", StringComparison.OrdinalIgnoreCase);
            var given = rows.EnumerateArray().Select(RecordJson.Row).ToList();
            var written = await records.InsertManyAsync(set, given, new RecordWriteOptions { SkipDuplicates = skip, Returning = [] }, ctx.RequestAborted);
            var n = written.Count(r => r is not null);
            return JsonOut.Value(new { rows = n, skipped = given.Count - n });
        }).WithSummary("Insert {\"rows\": [...]} in one transaction, all or none → {rows, skipped}; ?skipDuplicates=true skips rows whose key or unique value is taken instead of refusing the batch (409).");

        group.MapPost("/{set}/bulk", async (string set, HttpContext ctx, RecordService records, TreeAccess guard) =>
        {
            await RecordAccess.RequireAsync(ctx, guard, set, Access.Write);
            var type = ctx.Request.ContentType ?? "";
            var rows = type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase)
                ? RecordStreams.ReadCsvAsync(ctx.Request.Body, ctx.RequestAborted)
                : type.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase) || type.StartsWith("application/jsonl", StringComparison.OrdinalIgnoreCase)
                    ? RecordStreams.ReadNdjsonAsync(ctx.Request.Body, ctx.RequestAborted)
                    : throw new RecordsException(RecordsErrorCode.UnsupportedMediaType, "a bulk load is application/x-ndjson (one JSON object per line) or text/csv (a header of field names)");
            var n = await records.BulkInsertAsync(set, rows, null, ctx.RequestAborted);
            return JsonOut.Value(new { rows = n });
        }).WithSummary("Stream rows as NDJSON or CSV; committed in chunks (binary COPY on PostgreSQL) → {rows}.");

        // Note that services come from the root provider, not the request's: a cached get then creates no DI scope.
        var services = ((IEndpointRouteBuilder)group).ServiceProvider;
        group.MapGet("/{set}/rows/{key}", (string set, string key, HttpContext ctx) =>
            GetRowAsync(set, key, ctx, records(), services.GetRequiredService<TreeAccess>()))
            .WithSummary("The row with the key (several key fields: values joined by commas), from the hot cache, the main or a history table.");

        group.MapPatch("/{set}/rows/{key}", (string set, string key, HttpContext ctx, RecordService records, TreeAccess guard) =>
            WriteAsync(set, key, ctx, records, guard, options, upsert: false))
            .WithSummary("Update the given fields; with a version field give the version read (a changed row is 409).");

        group.MapPut("/{set}/rows/{key}", (string set, string key, HttpContext ctx, RecordService records, TreeAccess guard) =>
            WriteAsync(set, key, ctx, records, guard, options, upsert: true))
            .WithSummary("Insert or update the row with the key.");

        group.MapDelete("/{set}/rows/{key}", async (string set, string key, HttpContext ctx, RecordService records, TreeAccess guard) =>
        {
            await RecordAccess.RequireAsync(ctx, guard, set, Access.Write);
            return await records.DeleteAsync(set, await KeyAsync(records, set, key, ctx), ctx.RequestAborted)
                ? Results.NoContent()
                : throw new RecordsException(RecordsErrorCode.NotFound, $"record set '{set}' holds no row with key {key}");
        }).WithSummary("Delete the row with the key, wherever it is.");
    }

    /// <summary>
    /// A get: a row in the hot cache of a set whose object and folders are in the tree's cache is answered without
    /// I/O, awaiting or allocating (the permission check is the same, on the same cached objects); anything else takes
    /// the full path, which reads what is missing and words every refusal.
    /// </summary>
    private static Task GetRowAsync(string set, string key, HttpContext ctx, RecordService records, TreeAccess guard)
    {
        if (guard.TryRequireCached(ctx.Caller(), RecordAccess.PathOf(set), Access.Read, out _) && records.TryGetCached(set, key, out var row))
        {
            JsonOut.WriteUtf8(ctx, RecordJson.RowBytes(row));
            return Task.CompletedTask;
        }

        return ReadRowAsync(set, key, ctx, records, guard);
    }

    private static async Task ReadRowAsync(string set, string key, HttpContext ctx, RecordService records, TreeAccess guard)
    {
        await RecordAccess.RequireAsync(ctx, guard, set, Access.Read);
        var row = await records.GetAsync(set, await KeyAsync(records, set, key, ctx), ctx.RequestAborted)
            ?? throw new RecordsException(RecordsErrorCode.NotFound, $"record set '{set}' holds no row with key {key}");
        JsonOut.WriteUtf8(ctx, RecordJson.RowBytes(row));
    }

    private static async Task<IResult> WriteAsync(string set, string key, HttpContext ctx, RecordService records, TreeAccess guard, GroveServerOptions options, bool upsert)
    {
        await RecordAccess.RequireAsync(ctx, guard, set, Access.Write);
        using var body = await JsonBody.ReadAsync(ctx, options.MaxJsonBytes);
        var row = RecordJson.Row(body.RootElement);
        var fields = await records.KeyFieldsAsync(set, ctx.RequestAborted);
        var values = await KeyAsync(records, set, key, ctx);
        for (var i = 0; i < fields.Count; i++)
        {
            row[fields[i]] = values[i];
        }

        var result = upsert ? await records.UpsertAsync(set, row, ctx.RequestAborted) : await records.UpdateAsync(set, row, ctx.RequestAborted);
        return JsonOut.Write(w => RecordJson.WriteRow(w, result));
    }

    private static async Task<object?[]> KeyAsync(RecordService records, string set, string key, HttpContext ctx)
    {
        var fields = await records.KeyFieldsAsync(set, ctx.RequestAborted);
        return fields.Count == 1 ? [key] : [.. key.Split(',')];
    }
}
