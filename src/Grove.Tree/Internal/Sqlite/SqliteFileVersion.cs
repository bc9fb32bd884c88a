namespace Grove.Tree.Internal.Sqlite;

/// <summary>
/// Counts commits this process made to one SQLite file (the tree's writer, the change feed's entries), so a reader can
/// tell whether its mapped connection would find the file changed at its next read (and so drop and re-map its whole
/// map). Only a hint for choosing a connection: a commit it does not count costs that re-map, never a stale read.
/// </summary>
internal sealed class SqliteFileVersion
{
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Bump() => Interlocked.Increment(ref _value);
}
