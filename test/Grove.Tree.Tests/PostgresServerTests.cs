using Grove.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Grove.Tree.Tests;

public sealed class PostgresServerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task CreatesADatabaseThatAnswersSelect1()
    {
        var connectionString = await PostgresServer.DatabaseOrSkipAsync(output);
        if (connectionString is null)
        {
            return;
        }

        output.WriteLine($"PostgreSQL: {PostgresServer.Instance.Source}");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT 1", connection);

        (await command.ExecuteScalarAsync()).ShouldBe(1);
        connection.Database.ShouldStartWith("grove_test_");
    }

    [Fact]
    public async Task EachDatabaseIsFreshAndSeparate()
    {
        var first = await PostgresServer.DatabaseOrSkipAsync(output);
        var second = await PostgresServer.DatabaseOrSkipAsync(output);
        if (first is null || second is null)
        {
            return;
        }

        first.ShouldNotBe(second);
        await using (var a = new NpgsqlConnection(first))
        {
            await a.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE t (x int); INSERT INTO t VALUES (42)", a);
            await create.ExecuteNonQueryAsync();
        }

        await using var b = new NpgsqlConnection(second);
        await b.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE tablename = 't'", b);
        (await count.ExecuteScalarAsync()).ShouldBe(0L);
    }

    [Fact]
    public async Task UnavailableServerSkipsLocallyAndFailsUnderCi()
    {
        var server = PostgresServer.Unavailable("no server here");

        (await server.DatabaseOrSkipAsync(output, ci: false, CancellationToken.None)).ShouldBeNull();
        var error = await Should.ThrowAsync<InvalidOperationException>(
            () => server.DatabaseOrSkipAsync(output, ci: true, CancellationToken.None));
        error.Message.ShouldContain("no server here");
        await Should.ThrowAsync<InvalidOperationException>(() => server.CreateDatabaseAsync());
    }
}
