using Grove.Tree.Internal.Sql;

namespace Grove.Tree.Internal.Sqlite;

internal sealed partial class SqliteIndexer
{
    private static readonly SqlQueryBuilder Builder = new(SqlDialect.Sqlite);

    public Task<IReadOnlyList<TreeObject>> QueryAsync(IndexQuery query, CancellationToken ct)
    {
        var stmt = Builder.Build(query, RowCodec.Columns + ",length(inl)");
        return Task.FromResult<IReadOnlyList<TreeObject>>(Read(r =>
        {
            using var cmd = r.Connection.CreateCommand();
            cmd.CommandText = stmt.Text;
            foreach (var p in stmt.Parameters)
            {
                cmd.Parameters.AddWithValue(p.Name, p.Value);
            }

            return Many(cmd);
        }));
    }
}
