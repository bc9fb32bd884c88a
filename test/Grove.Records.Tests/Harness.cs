using Grove.Records;
using Xunit.Abstractions;

namespace Grove.Records.Tests;

/// <summary>A tree on a temp data folder (SQLite) or on a fresh PostgreSQL database, with a records engine on it.</summary>
public sealed class Harness : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<TreeService> _trees = [];
    private readonly List<RecordService> _services = [];

    public const string NewsMapping = """
        {
          // the seed's format: comments and trailing commas are fine
          "dao": "default",
          "tableName": "t_news",
          "autoCreate": true,
          "fields": [
            { "name": "id", "type": "Long" },
            { "name": "ct", "type": "Long", "notNull": true },
            { "name": "title", "type": "String", "columnName": "title_text" },
            { "name": "author", "type": "String", "defaultValue": "by-${title}" },
            { "name": "ver", "type": "Integer", "isVersion": true },
            { "name": "tags", "type": "SArray" },
          ],
          "pks": ["id"],
          "objKeys": { "id": "id", "nm": "title", "ct": "ct" },
          "indexes": [ { "name": "by_title", "unique": false, "fields": ["title"] } ]
        }
        """;

    public static string NewsWithHistory(long mainRows, long tableRows, int keep) =>
        NewsMapping.TrimEnd().TrimEnd('}') + $$""", "history": { "cutField": "ct", "mainRows": {{mainRows}}, "tableRows": {{tableRows}}, "keep": {{keep}} } }""";

    public string? Store { get; private set; }

    public static async Task<Harness?> OpenAsync(bool postgres, ITestOutputHelper output)
    {
        var h = new Harness();
        if (postgres)
        {
            h.Store = await PostgresServer.DatabaseOrSkipAsync(output);
            if (h.Store is null)
            {
                await h.DisposeAsync();
                return null;
            }
        }

        return h;
    }

    /// <summary>The trees opened so far, in order.</summary>
    public IReadOnlyList<TreeService> Trees => _trees;

    /// <summary>The registry of the trees: the built-ins plus dao mounts.</summary>
    public static readonly Grove.Tree.Storage.StorageRegistry Registry = Grove.Tree.Storage.StorageRegistry.CreateDefault().AddRecords().Freeze();

    public async Task<RecordService> NodeAsync(RecordsOptions? options = null)
    {
        var tree = await TreeAsync();
        var service = await RecordService.OpenAsync(tree, options);
        _services.Add(service);
        return service;
    }

    /// <summary>A tree on the harness's store, with no records engine of its own.</summary>
    public async Task<TreeService> TreeAsync()
    {
        var name = "n" + _trees.Count;
        var tree = await TreeService.OpenAsync(new TreeOptions { Store = Store, DataPath = _folder.Combine(name), LockDataFolder = Store is null, Storage = Registry });
        _trees.Add(tree);
        return tree;
    }

    public static Dictionary<string, object?> Row(long id, long ct, string? title = null) =>
        new() { ["id"] = id, ["ct"] = ct, ["title"] = title ?? $"t{id}" };

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _services)
        {
            await s.DisposeAsync();
        }

        foreach (var t in _trees)
        {
            await t.DisposeAsync();
        }

        _folder.Dispose();
    }
}
