using Grove.Tree.Internal.Sql;
using Npgsql;
using NpgsqlTypes;

namespace Grove.Tree.Internal.Postgres;

internal sealed partial class PostgresIndexer
{
    private const string ById = PostgresSchema.SelectFull + " FROM obj WHERE id=@a";
    private const string ByName = PostgresSchema.SelectFull + " FROM obj WHERE pid=@a AND nm=@b";
    private const string ListFirst = PostgresSchema.Select + " FROM obj WHERE pid=@a ORDER BY nm LIMIT @n";
    private const string ListAfter = PostgresSchema.Select + " FROM obj WHERE pid=@a AND nm>@b ORDER BY nm LIMIT @n";
    private const string Expired = PostgresSchema.Select + " FROM obj WHERE expi IS NOT NULL AND expi<=@now ORDER BY expi LIMIT @n";
    private const string ContentRows = PostgresSchema.Select
        + " FROM obj WHERE id>@a AND race=1 AND sha256 IS NOT NULL AND inl IS NULL ORDER BY id LIMIT @n";

    private static readonly SqlQueryBuilder Builder = new(SqlDialect.Postgres);

    public async ValueTask<TreeObject?> GetAsync(string id, CancellationToken ct) =>
        await OneAsync(ById, ct, P("a", NpgsqlDbType.Text, id));

    public async ValueTask<TreeObject?> GetChildAsync(string parentId, string name, CancellationToken ct) =>
        await OneAsync(ByName, ct, P("a", NpgsqlDbType.Text, parentId), P("b", NpgsqlDbType.Text, name));

    public Task<IReadOnlyList<TreeObject>> ListAsync(string parentId, string? afterName, int limit, CancellationToken ct) =>
        afterName is null
            ? ManyAsync(ListFirst, ct, P("a", NpgsqlDbType.Text, parentId), P("n", NpgsqlDbType.Integer, limit))
            : ManyAsync(ListAfter, ct, P("a", NpgsqlDbType.Text, parentId), P("b", NpgsqlDbType.Text, afterName), P("n", NpgsqlDbType.Integer, limit));

    public Task<IReadOnlyList<TreeObject>> QueryAsync(IndexQuery query, CancellationToken ct)
    {
        var stmt = Builder.Build(query, PostgresSchema.Columns);
        var cmd = _source.CreateCommand(stmt.Text);
        foreach (var p in stmt.Parameters)
        {
            cmd.Parameters.Add(p.IsJson ? new NpgsqlParameter(p.Name, NpgsqlDbType.Jsonb) { Value = p.Value } : new NpgsqlParameter(p.Name, p.Value));
        }

        return RunQueryAsync(cmd, ct);
    }

    private async Task<IReadOnlyList<TreeObject>> RunQueryAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        try
        {
            return await ManyAsync(cmd, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidRegularExpression)
        {
            // .NET accepted the pattern (the builder checks), but PostgreSQL's regex dialect does not, e.g. \p{L}.
            throw FilterError.Invalid($"PostgreSQL cannot run this regular expression: {e.MessageText}", e);
        }
    }

    public async Task<bool> HasChildrenAsync(string parentId, CancellationToken ct)
    {
        await using var cmd = Command("SELECT EXISTS(SELECT 1 FROM obj WHERE pid=@a)", P("a", NpgsqlDbType.Text, parentId));
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public Task<IReadOnlyList<TreeObject>> ExpiredAsync(long now, int limit, CancellationToken ct) =>
        ManyAsync(Expired, ct, P("now", NpgsqlDbType.Bigint, now), P("n", NpgsqlDbType.Integer, limit));

    public Task<IReadOnlyList<TreeObject>> ContentRowsAsync(string? afterId, int limit, CancellationToken ct) =>
        ManyAsync(ContentRows, ct, P("a", NpgsqlDbType.Text, afterId ?? ""), P("n", NpgsqlDbType.Integer, limit));
}
