using Grove.Tree.Storage;

namespace Grove.Tree.Tests.Contract;

/// <summary>Engine statements that ride in a batch's own transaction (<see cref="TreeBatch.WithStatement"/>).</summary>
public abstract partial class TreeContract
{
    private sealed class NoteRefused() : Exception("note refused");

    private static EngineStatement Note(int id, string body) =>
        new("INSERT INTO eng_notes (id, body) VALUES (@id, @b)", ("id", id), ("b", body));

    [Fact]
    public async Task WithStatement_RowsAndStatementsTogether_CommittedAndReturnedValueDelivered()
    {
        if (StoreUnavailable || !Tree.SharesEngineTransactions) return;
        await Tree.Engines.MigrateAsync("notes", NotesSchema, default);
        object? returned = null;

        await Tree.CommitAsync(new TreeBatch()
            .Create("/notes/1.txt", new BatchFile { Content = "one"u8.ToArray() })
            .WithStatement(Note(1, "one"))
            .WithStatement(new EngineStatement("INSERT INTO eng_notes (id, body) VALUES (@id, @b) RETURNING id + 40", ("id", 2), ("b", "two")) { Returned = v => returned = v }));

        (await Tree.ReadAllBytesAsync("/notes/1.txt")).ShouldBe("one"u8.ToArray());
        (await CountNotesAsync(Tree.Engines)).ShouldBe(2);
        Convert.ToInt64(returned, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(42);
    }

    [Fact]
    public async Task WithStatement_ExpectedRowsNotChanged_RefusedAndNothingChanged()
    {
        if (StoreUnavailable || !Tree.SharesEngineTransactions) return;
        await Tree.Engines.MigrateAsync("notes", NotesSchema, default);
        var kept = await Tree.WriteAsync("/notes/kept.txt", "k"u8.ToArray());

        await Should.ThrowAsync<NoteRefused>(() => Tree.CommitAsync(new TreeBatch()
            .Create("/notes/2.txt", new BatchFile { Content = "two"u8.ToArray() })
            .Delete("/notes/kept.txt", kept.Version)
            .WithStatement(Note(5, "five"))
            .WithStatement(new EngineStatement("DELETE FROM eng_notes WHERE id = @id", ("id", 99)) { ExpectRows = 1, Refusal = () => new NoteRefused() })));

        (await Tree.FindAsync("/notes/2.txt")).ShouldBeNull();
        (await Tree.FindAsync("/notes/kept.txt")).ShouldNotBeNull();
        (await CountNotesAsync(Tree.Engines)).ShouldBe(0);
    }

    [Fact]
    public async Task WithStatement_StaleFileVersion_ConflictAndStatementsNotRun()
    {
        if (StoreUnavailable || !Tree.SharesEngineTransactions) return;
        await Tree.Engines.MigrateAsync("notes", NotesSchema, default);
        var first = await Tree.WriteAsync("/notes/v.txt", "1"u8.ToArray());
        await Tree.WriteAsync("/notes/v.txt", "2"u8.ToArray());

        await Fails(TreeErrorCode.Conflict, () => Tree.CommitAsync(new TreeBatch()
            .Delete("/notes/v.txt", first.Version)
            .WithStatement(Note(7, "seven"))));

        (await Tree.ReadAllBytesAsync("/notes/v.txt")).ShouldBe("2"u8.ToArray());
        (await CountNotesAsync(Tree.Engines)).ShouldBe(0);
    }

    [Fact]
    public async Task WithStatement_OnAStoreWithoutSql_NotSupported()
    {
        if (StoreUnavailable || Tree.SharesEngineTransactions) return;

        await Fails(TreeErrorCode.NotSupported, () => Tree.CommitAsync(new TreeBatch()
            .Create("/notes/1.txt", new BatchFile { Content = "one"u8.ToArray() })
            .WithStatement(Note(1, "one"))));

        (await Tree.FindAsync("/notes/1.txt")).ShouldBeNull();
    }
}
