namespace Grove.Tree.Tests.Query;

/// <summary>A fact that runs only when <c>GROVE_TEST_PG</c> holds an Npgsql connection string.</summary>
public sealed class PgFactAttribute : FactAttribute
{
    public PgFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(PgTestDb.ConnectionString))
        {
            Skip = "set GROVE_TEST_PG to an Npgsql connection string to run PostgreSQL tests";
        }
    }
}
