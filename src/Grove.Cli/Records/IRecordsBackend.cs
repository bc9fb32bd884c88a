using System.Text.Json;
using Grove.Cli.Backend;
using Grove.Client;
using Grove.Records;
using Grove.Tree;

namespace Grove.Cli.Records;

/// <summary>Record sets for <c>grove records</c>, as JSON: on a server (<c>--server</c>) or in the data folder through the engine.</summary>
internal interface IRecordsBackend : IAsyncDisposable
{
    Task<JsonElement> DefineAsync(string set, string mappingJson, CancellationToken ct);

    Task<long> ImportAsync(string set, string file, IProgress<long> progress, CancellationToken ct);

    Task<JsonElement?> GetAsync(string set, IReadOnlyList<object> key, CancellationToken ct);

    Task<JsonElement> UpdateAsync(string set, IReadOnlyList<object> key, string fieldsJson, CancellationToken ct);

    Task<bool> DeleteAsync(string set, IReadOnlyList<object> key, CancellationToken ct);

    Task<JsonElement> FindAsync(string set, string queryJson, CancellationToken ct);

    Task<JsonElement> RotateAsync(string set, IProgress<long>? progress, CancellationToken ct);

    Task<JsonElement> StatsAsync(string set, CancellationToken ct);

    static async Task<IRecordsBackend> OpenAsync(CommandSession s, CancellationToken ct)
    {
        if (s.Server is { } server)
        {
            return new RemoteRecordsBackend(BackendFactory.OpenClient(server, s.Host));
        }

        await s.Settings.EnsureInitializedAsync(ct, "run 'grove init' or pass --data (or --server)");
        var tree = await TreeService.OpenAsync(s.Settings.TreeOptions, ct);
        try
        {
            return new LocalRecordsBackend(tree, await RecordService.OpenAsync(tree, LocalOptions(s.Settings.Providers), ct));
        }
        catch
        {
            await tree.DisposeAsync();
            throw;
        }
    }

    static bool IsCsv(string file) => file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    /// <summary>The engine's options from <c>Grove__Records__…</c> environment variables (as the server's <c>Grove:Records</c>).</summary>
    private static RecordsOptions LocalOptions(IReadOnlyDictionary<string, string?> settings)
    {
        int? Int(string key) => settings.FirstOrDefault(kv => string.Equals(kv.Key, "Records:" + key, StringComparison.OrdinalIgnoreCase)).Value is { } v
            ? int.TryParse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : throw CliException.Usage($"Grove__Records__{key} must be a whole number, not '{v}'")
            : null;
        var d = new RecordsOptions();
        return d with
        {
            CacheCapacity = Int(nameof(d.CacheCapacity)) ?? d.CacheCapacity,
            RotationBatchRows = Int(nameof(d.RotationBatchRows)) ?? d.RotationBatchRows,
            BulkChunkRows = Int(nameof(d.BulkChunkRows)) ?? d.BulkChunkRows,
            MaxPageSize = Int(nameof(d.MaxPageSize)) ?? d.MaxPageSize,
        };
    }
}

/// <summary>The server's routes through the SDK.</summary>
internal sealed class RemoteRecordsBackend(GroveClient client) : IRecordsBackend
{
    public Task<JsonElement> DefineAsync(string set, string mappingJson, CancellationToken ct) => client.DefineRecordSetAsync(set, mappingJson, ct);

    public async Task<long> ImportAsync(string set, string file, IProgress<long> progress, CancellationToken ct)
    {
        await using var stream = File.OpenRead(file);
        var n = await client.BulkLoadRecordsAsync(set, stream, IRecordsBackend.IsCsv(file) ? "text/csv" : "application/x-ndjson", ct);
        progress.Report(n);
        return n;
    }

    public Task<JsonElement?> GetAsync(string set, IReadOnlyList<object> key, CancellationToken ct) => client.GetRecordAsync(set, key, ct);

    public Task<JsonElement> UpdateAsync(string set, IReadOnlyList<object> key, string fieldsJson, CancellationToken ct) =>
        client.UpdateRecordAsync(set, key, JsonDocument.Parse(fieldsJson).RootElement.Clone(), ct);

    public Task<bool> DeleteAsync(string set, IReadOnlyList<object> key, CancellationToken ct) => client.DeleteRecordAsync(set, key, ct);

    public Task<JsonElement> FindAsync(string set, string queryJson, CancellationToken ct) => client.FindRecordsAsync(set, queryJson, ct);

    public Task<JsonElement> RotateAsync(string set, IProgress<long>? progress, CancellationToken ct) => client.RotateRecordsAsync(set, ct);

    public Task<JsonElement> StatsAsync(string set, CancellationToken ct) => client.RecordStatsAsync(set, ct);

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }
}
