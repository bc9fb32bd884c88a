using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Grove.Client;

/// <summary>
/// Record sets through a <see cref="GroveClient"/> (docs/records.md): define, rows, bulk loads, find, rotate, stats.
/// Rows, pages and definitions are the server's JSON (<see cref="JsonElement"/>, cloned), so the SDK needs no engine types.
/// </summary>
public static class GroveClientRecords
{
    private static string Route(string set, string suffix = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(set);
        return "records/" + Uri.EscapeDataString(set) + suffix;
    }

    private static string KeyRoute(string set, IReadOnlyList<object> key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var text = string.Join(',', key.Select(k => Convert.ToString(k, System.Globalization.CultureInfo.InvariantCulture)));
        return Route(set, "/rows/" + Uri.EscapeDataString(text));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    extension(GroveClient client)
    {
        /// <summary>Defines or extends a record set from a seed 003 mapping (JSON text); returns its definition and tables.</summary>
        public Task<JsonElement> DefineRecordSetAsync(string set, string mappingJson, CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Put, Route(set), Json(mappingJson)), e => e.Clone(), ct);

        /// <summary>A record set's mapping, revision and tables.</summary>
        public Task<JsonElement> GetRecordSetAsync(string set, CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Get, Route(set)), e => e.Clone(), ct);

        /// <summary>The record sets the caller may read.</summary>
        public Task<IReadOnlyList<string>> ListRecordSetsAsync(CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Get, "records"), e => (IReadOnlyList<string>)[.. e.GetProperty("items").EnumerateArray().Select(x => x.GetString()!)], ct);

        /// <summary>Inserts a row (any object serializable to a JSON object of field names); with <paramref name="upsert"/>, updates the row of the same key.</summary>
        public Task<JsonElement> InsertRecordAsync(string set, object row, bool upsert = false, CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Post, Route(set, "/rows" + (upsert ? "?upsert=true" : "")), Json(JsonSerializer.Serialize(row))), e => e.Clone(), ct);

        /// <summary>The row with the key (one value per key field), or null.</summary>
        public async Task<JsonElement?> GetRecordAsync(string set, IReadOnlyList<object> key, CancellationToken ct = default)
        {
            try
            {
                return await client.SendJsonAsync(client.Request(HttpMethod.Get, KeyRoute(set, key)), e => e.Clone(), ct);
            }
            catch (GroveApiException e) when (e.IsNotFound)
            {
                return null;
            }
        }

        /// <summary>Updates the given fields of the row with the key (give the version field's value read); a changed row is <c>conflict</c>.</summary>
        public Task<JsonElement> UpdateRecordAsync(string set, IReadOnlyList<object> key, object fields, CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Patch, KeyRoute(set, key), Json(JsonSerializer.Serialize(fields))), e => e.Clone(), ct);

        /// <summary>Deletes the row with the key; false when there was none.</summary>
        public async Task<bool> DeleteRecordAsync(string set, IReadOnlyList<object> key, CancellationToken ct = default)
        {
            try
            {
                await client.SendEmptyAsync(client.Request(HttpMethod.Delete, KeyRoute(set, key)), ct);
                return true;
            }
            catch (GroveApiException e) when (e.IsNotFound)
            {
                return false;
            }
        }

        /// <summary>
        /// Finds rows: <paramref name="queryJson"/> is <c>{where, sort, fields, history, limit, after | page, count}</c>;
        /// the answer is <c>{items, next, total}</c> in one global order across the main and history tables.
        /// </summary>
        public Task<JsonElement> FindRecordsAsync(string set, string queryJson, CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Post, Route(set, "/find"), Json(queryJson)), e => e.Clone(), ct);

        /// <summary>
        /// Inserts rows in one transaction, all or none (a taken key or unique value refuses the batch with 409), or with
        /// <paramref name="skipDuplicates"/> skips those rows; returns how many were written and skipped.
        /// </summary>
        public Task<(long Rows, long Skipped)> InsertRecordsAsync(string set, IEnumerable<object> rows, bool skipDuplicates = false, CancellationToken ct = default) =>
            client.SendJsonAsync(
                client.Request(HttpMethod.Post, Route(set, "/batch" + (skipDuplicates ? "?skipDuplicates=true" : "")), Json(JsonSerializer.Serialize(new { rows }))),
                e => (e.GetProperty("rows").GetInt64(), e.GetProperty("skipped").GetInt64()),
                ct);

        /// <summary>Streams a bulk load (<c>application/x-ndjson</c> or <c>text/csv</c>); returns the rows loaded.</summary>
        public Task<long> BulkLoadRecordsAsync(string set, Stream body, string contentType, CancellationToken ct = default)
        {
            var content = new StreamContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            return client.SendJsonAsync(client.Request(HttpMethod.Post, Route(set, "/bulk"), content), e => e.GetProperty("rows").GetInt64(), ct);
        }

        /// <summary>Moves rows beyond mainRows into history tables now; returns what moved.</summary>
        public Task<JsonElement> RotateRecordsAsync(string set, CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Post, Route(set, "/rotate")), e => e.Clone(), ct);

        /// <summary>Each table with its rows, the hot cache's hit rate, the last rotation.</summary>
        public Task<JsonElement> RecordStatsAsync(string set, CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Get, Route(set, "/stats")), e => e.Clone(), ct);
    }
}
