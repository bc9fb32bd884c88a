using System.Data.Common;
using Grove.Tree.Storage;

namespace Grove.Tree.Tests.Contract;

public abstract partial class TreeContract
{
    private static readonly SchemaMigration[] NotesSchema =
    [
        SchemaMigration.Sql(1, "notes", "CREATE TABLE eng_notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"),
        SchemaMigration.Sql(2, "notes get a tag", "ALTER TABLE eng_notes ADD COLUMN tag TEXT"),
    ];

    private static async Task<long> CountNotesAsync(EngineStorage storage)
    {
        await using var c = await storage.OpenConnectionAsync(default);
        await using var cmd = EngineStorage.Command(c, null, "SELECT count(*) FROM eng_notes");
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    private static Func<DbConnection, DbTransaction?, CancellationToken, Task> InsertNote(int id, string body) => async (c, tx, ct) =>
    {
        await using var cmd = EngineStorage.Command(c, tx, "INSERT INTO eng_notes (id, body) VALUES (@id, @b)");
        EngineStorage.Parameter(cmd, "id", id);
        EngineStorage.Parameter(cmd, "b", body);
        await cmd.ExecuteNonQueryAsync(ct);
    };

    [Fact]
    public async Task Migrate_TwoStepsThenReopen_AppliedOnceAndRecorded()
    {
        if (StoreUnavailable) return;

        (await Tree.Engines.MigrateAsync("notes", NotesSchema[..1], default)).ShouldBe(1);
        (await Tree.Engines.MigrateAsync("notes", NotesSchema, default)).ShouldBe(2);
        await ReopenAsync();
        (await Tree.Engines.MigrateAsync("notes", NotesSchema, default)).ShouldBe(2);

        await using var c = await Tree.Engines.OpenConnectionAsync(default);
        await using var cmd = EngineStorage.Command(c, null, "INSERT INTO eng_notes (id, body, tag) VALUES (1, 'x', 't')");
        (await cmd.ExecuteNonQueryAsync()).ShouldBe(1);
        await using var version = EngineStorage.Command(c, null, "SELECT version FROM grove_schema WHERE engine = 'notes'");
        Convert.ToInt32(await version.ExecuteScalarAsync()).ShouldBe(2);
    }

    [Fact]
    public async Task Migrate_DatabaseNewerThanTheCode_RefusedAndNothingChanged()
    {
        if (StoreUnavailable) return;
        await Tree.Engines.MigrateAsync("notes", NotesSchema, default);

        var e = await Fails(TreeErrorCode.NotSupported, () => Tree.Engines.MigrateAsync("notes", NotesSchema[..1], default));

        e.Message.ShouldContain("newer");
    }

    [Fact]
    public async Task Migrate_FailingStep_RolledBackWhole()
    {
        if (StoreUnavailable) return;
        SchemaMigration[] broken = [NotesSchema[0], SchemaMigration.Sql(2, "broken", "ALTER TABLE no_such_table ADD COLUMN x TEXT")];

        await Should.ThrowAsync<DbException>(() => Tree.Engines.MigrateAsync("notes", broken, default));

        (await Tree.Engines.MigrateAsync("notes", NotesSchema, default)).ShouldBe(2);
        (await CountNotesAsync(Tree.Engines)).ShouldBe(0);
    }

    [Fact]
    public async Task CommitBatch_WithSqlOnAStoreWithoutSql_NotSupported()
    {
        if (StoreUnavailable || Tree.SharesEngineTransactions) return;

        await Fails(TreeErrorCode.NotSupported, () => Tree.CommitAsync(new TreeBatch()
            .Create("/notes/1.txt", new BatchFile { Content = "one"u8.ToArray() })
            .WithSql(InsertNote(1, "one"))));

        (await Tree.FindAsync("/notes/1.txt")).ShouldBeNull();
    }

    [Fact]
    public async Task CommitBatch_WithSql_EngineRowsAndFilesCommitTogether()
    {
        if (StoreUnavailable || !Tree.SharesEngineTransactions) return;
        await Tree.Engines.MigrateAsync("notes", NotesSchema, default);

        await Tree.CommitAsync(new TreeBatch()
            .Create("/notes/1.txt", new BatchFile { Content = "one"u8.ToArray() })
            .WithSql(InsertNote(1, "one")));

        (await Tree.ReadAllBytesAsync("/notes/1.txt")).ShouldBe("one"u8.ToArray());
        (await CountNotesAsync(Tree.Engines)).ShouldBe(1);
    }

    [Fact]
    public async Task CommitBatch_WithSqlAndAConflictingFile_NeitherCommitted()
    {
        if (StoreUnavailable || !Tree.SharesEngineTransactions) return;
        await Tree.Engines.MigrateAsync("notes", NotesSchema, default);
        await Tree.WriteAsync("/notes/taken.txt", "x"u8.ToArray());

        await Fails(TreeErrorCode.AlreadyExists, () => Tree.CommitAsync(new TreeBatch()
            .Create("/notes/taken.txt", new BatchFile { Content = "y"u8.ToArray() })
            .WithSql(InsertNote(2, "two"))));

        (await CountNotesAsync(Tree.Engines)).ShouldBe(0);
    }

    [Fact]
    public async Task CommitBatch_FailingSql_FilesNotCommitted()
    {
        if (StoreUnavailable || !Tree.SharesEngineTransactions) return;
        await Tree.Engines.MigrateAsync("notes", NotesSchema, default);
        await Tree.CommitAsync(new TreeBatch().WithSql(InsertNote(3, "three")));

        await Should.ThrowAsync<Exception>(() => Tree.CommitAsync(new TreeBatch()
            .Create("/notes/3.txt", new BatchFile { Content = "three"u8.ToArray() })
            .WithSql(InsertNote(3, "duplicate key"))));

        (await Tree.FindAsync("/notes/3.txt")).ShouldBeNull();
        (await CountNotesAsync(Tree.Engines)).ShouldBe(1);
    }
}
