using System.Text.Json;
using Grove.Records;
using Grove.Tree;

namespace Grove.Cli.Records;

/// <summary>Record sets in the local data folder through the engine (no server); answers shaped as the server's.</summary>
internal sealed class LocalRecordsBackend(TreeService tree, RecordService records) : IRecordsBackend
{
    private static readonly JsonSerializerOptions Web = JsonSerializerOptions.Web;

    private static JsonElement Element<T>(T value) => JsonSerializer.SerializeToElement(value, Web);

    private async Task<object?[]> KeyAsync(string set, IReadOnlyList<object> key, CancellationToken ct)
    {
        var fields = await records.KeyFieldsAsync(set, ct);
        return fields.Count == 1 && key.Count == 1 ? [key[0]] : [.. key];
    }

    public async Task<JsonElement> DefineAsync(string set, string mappingJson, CancellationToken ct)
    {
        var info = await records.DefineAsync(set, RecordMapping.Parse(mappingJson), ct);
        return Element(new { name = info.Name, revision = info.Revision, mapping = JsonDocument.Parse(info.Mapping.ToJson()).RootElement, tables = info.Tables });
    }

    public async Task<long> ImportAsync(string set, string file, IProgress<long> progress, CancellationToken ct)
    {
        await using var stream = File.OpenRead(file);
        var rows = IRecordsBackend.IsCsv(file) ? RecordStreams.ReadCsvAsync(stream, ct) : RecordStreams.ReadNdjsonAsync(stream, ct);
        return await records.BulkInsertAsync(set, rows, progress, ct);
    }

    public async Task<JsonElement?> GetAsync(string set, IReadOnlyList<object> key, CancellationToken ct) =>
        await records.GetAsync(set, await KeyAsync(set, key, ct), ct) is { } row ? Element<IReadOnlyDictionary<string, object?>>(row) : null;

    public async Task<JsonElement> UpdateAsync(string set, IReadOnlyList<object> key, string fieldsJson, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(fieldsJson);
        var row = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal);
        var fields = await records.KeyFieldsAsync(set, ct);
        var values = await KeyAsync(set, key, ct);
        for (var i = 0; i < fields.Count && i < values.Length; i++)
        {
            row[fields[i]] = values[i];
        }

        return Element<IReadOnlyDictionary<string, object?>>(await records.UpdateAsync(set, row, ct));
    }

    public async Task<bool> DeleteAsync(string set, IReadOnlyList<object> key, CancellationToken ct) => await records.DeleteAsync(set, await KeyAsync(set, key, ct), ct);

    public async Task<JsonElement> FindAsync(string set, string queryJson, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(queryJson);
        var q = doc.RootElement;
        var page = await records.FindAsync(set, new RecordQuery
        {
            Where = q.TryGetProperty("where", out var w) ? w.Clone() : null,
            Sort = q.TryGetProperty("sort", out var s) ? [.. s.EnumerateArray().Select(x => x.GetString()!)] : null,
            Fields = q.TryGetProperty("fields", out var f) ? [.. f.EnumerateArray().Select(x => x.GetString()!)] : null,
            History = q.TryGetProperty("history", out var h) && h.ValueKind == JsonValueKind.Number ? h.GetInt32() : null,
            Limit = q.TryGetProperty("limit", out var l) ? l.GetInt32() : null,
            After = q.TryGetProperty("after", out var a) ? a.GetString() : null,
            Page = q.TryGetProperty("page", out var p) ? p.GetInt32() : null,
            Count = q.TryGetProperty("count", out var c) && c.GetBoolean(),
        }, ct);
        return Element(new { items = page.Items.Cast<IReadOnlyDictionary<string, object?>>(), next = page.Next, total = page.Total });
    }

    public async Task<JsonElement> RotateAsync(string set, IProgress<long>? progress, CancellationToken ct) => Element(await records.RotateAsync(set, progress, ct));

    public async Task<JsonElement> StatsAsync(string set, CancellationToken ct) => Element(await records.StatsAsync(set, ct));

    public async ValueTask DisposeAsync()
    {
        await records.DisposeAsync();
        await tree.DisposeAsync();
    }
}
