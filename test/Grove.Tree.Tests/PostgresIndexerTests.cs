using System.Text.Json;
using Grove.Tree.Internal;
using Grove.Tree.Internal.Postgres;
using Grove.Tree.Query;
using Grove.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Grove.Tree.Tests;

/// <summary>What the contract cannot see from outside: error precedence, atomicity, blob counts, index names.</summary>
public sealed class PostgresIndexerTests(ITestOutputHelper output)
{
    private string _store = "";

    private static TreeObject Row(string parent, string name) => new()
    {
        Id = ObjectIds.New(), ParentId = parent, Name = name, Race = ObjectRace.File, Created = 1, Modified = 1, Version = 1,
    };

    /// <summary>An indexer on a fresh database, or null (reason printed) without PostgreSQL.</summary>
    private async Task<PostgresIndexer?> OpenAsync()
    {
        var store = await PostgresServer.DatabaseOrSkipAsync(output);
        if (store is null)
        {
            return null;
        }

        _store = store;
        return await PostgresIndexer.OpenAsync(store, TimeProvider.System, default);
    }

    private static Task<TreeObject> RootAsync(PostgresIndexer index) => index.InitializeAsync(ObjectIds.New(), 1, default);

    [Fact]
    public async Task Commit_StaleDeleteBeforeDuplicateInsert_ReportsConflictLikeSqliteAndAppliesNothing()
    {
        await using var index = await OpenAsync();
        if (index is null)
        {
            return;
        }

        var root = await RootAsync(index);
        var a = Row(root.Id, "a");
        await index.CommitAsync(new ChangeSet().Insert(a), default);
        var fresh = Row(root.Id, "fresh");

        var set = new ChangeSet().Delete(a.Id, expected: 7).Insert(fresh).Insert(Row(root.Id, "a"));
        (await Should.ThrowAsync<TreeException>(() => index.CommitAsync(set, default))).Code.ShouldBe(TreeErrorCode.Conflict);

        var dup = new ChangeSet().Insert(fresh).Insert(Row(root.Id, "a"));
        var e = await Should.ThrowAsync<TreeException>(() => index.CommitAsync(dup, default));
        e.Code.ShouldBe(TreeErrorCode.AlreadyExists);
        e.Message.ShouldContain("'a'");
        (await index.GetAsync(fresh.Id, default)).ShouldBeNull();
        (await index.ListAsync(root.Id, null, 10, default)).Select(o => o.Name).ShouldBe(["a"]);
    }

    [Fact]
    public async Task Refs_FallToZero_StampZeroSinceOnce_AndRowGoesOnlyWhenOldEnough()
    {
        await using var index = await OpenAsync();
        if (index is null)
        {
            return;
        }

        var sha = new string('c', 64);
        await index.CommitAsync(new ChangeSet().Ref("", sha, 10, 2), default);
        (await index.GetBlobAsync("", sha, default))!.ZeroSince.ShouldBeNull();
        await index.CommitAsync(new ChangeSet().Ref("", sha, 10, -2), default);
        var zero = (await index.GetBlobAsync("", sha, default))!;
        zero.Refs.ShouldBe(0);
        zero.ZeroSince.ShouldNotBeNull();
        await index.CommitAsync(new ChangeSet().Ref("", sha, 10, -1).Ref("", sha, 10, 1), default);
        (await index.GetBlobAsync("", sha, default))!.ZeroSince.ShouldBe(zero.ZeroSince);

        (await index.DeleteBlobRowIfUnreferencedAsync("", sha, zero.ZeroSince!.Value - 1, default)).ShouldBeFalse();
        (await index.DeleteBlobRowIfUnreferencedAsync("", sha, zero.ZeroSince.Value, default)).ShouldBeTrue();
        (await index.ListBlobsAsync("", null, 10, default)).ShouldBeEmpty();
    }

    [Fact]
    public async Task EnsureIndex_LongKeysWithSharedPrefix_GetTheirOwnIndexes_AndRepeatIsHarmless()
    {
        await using var index = await OpenAsync();
        if (index is null)
        {
            return;
        }

        var k1 = new string('k', 63) + "1";
        var k2 = new string('k', 63) + "2";
        await Task.WhenAll(index.EnsureIndexAsync(k1, default), index.EnsureIndexAsync(k1, default), index.EnsureIndexAsync(k2, default));

        await using var connection = new NpgsqlConnection(_store);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM pg_indexes WHERE tablename='obj' AND indexname LIKE 'obj_meta_%'), (SELECT count(*) FROM meta_index)", connection);
        await using var r = await cmd.ExecuteReaderAsync();
        r.Read();
        r.GetInt64(0).ShouldBe(4);
        r.GetInt64(1).ShouldBe(2);
    }

    [Fact]
    public async Task Meta_WithNulCharacter_ThrowsInvalidMeta()
    {
        await using var index = await OpenAsync();
        if (index is null)
        {
            return;
        }

        var root = await RootAsync(index);
        var row = Row(root.Id, "nul") with { Meta = new Dictionary<string, JsonElement> { ["k"] = JsonValues.FromPlain("a\0b") } };
        (await Should.ThrowAsync<TreeException>(() => index.CommitAsync(new ChangeSet().Insert(row), default))).Code.ShouldBe(TreeErrorCode.InvalidMeta);
    }

    [Fact]
    public async Task Open_ByUrl_SharesTheRootWithTheConnectionStringForm()
    {
        await using var index = await OpenAsync();
        if (index is null)
        {
            return;
        }

        var root = await RootAsync(index);
        var b = new NpgsqlConnectionStringBuilder(_store);
        var url = $"postgres://{Uri.EscapeDataString(b.Username!)}@{b.Host}:{b.Port}/{Uri.EscapeDataString(b.Database!)}?application_name=grove-url";
        await using var byUrl = await PostgresIndexer.OpenAsync(url, TimeProvider.System, default);
        (await RootAsync(byUrl)).Id.ShouldBe(root.Id);
    }

    [Fact]
    public async Task Query_RegexOutsidePostgresDialect_ThrowsInvalidFilter()
    {
        await using var index = await OpenAsync();
        if (index is null)
        {
            return;
        }

        var query = new IndexQuery(FilterParser.Parse("""{"nm":"^\\p{L}"}"""), [new SortKey("id")], 10, null);
        (await Should.ThrowAsync<TreeException>(() => index.QueryAsync(query, default))).Code.ShouldBe(TreeErrorCode.InvalidFilter);
    }
}
