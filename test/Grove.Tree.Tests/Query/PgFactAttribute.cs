using Grove.Testing;

namespace Grove.Tree.Tests.Query;

/// <summary>
/// A fact that needs PostgreSQL: <c>GROVE_TEST_PG</c> or a private cluster. Skipped with the reason when neither can
/// be had, except under <c>CI=true</c>, where the test runs and fails instead.
/// </summary>
public sealed class PgFactAttribute : FactAttribute
{
    public PgFactAttribute()
    {
        if (!PostgresServer.IsCi && PostgresServer.Instance.UnavailableReason is { } reason)
        {
            Skip = "PostgreSQL unavailable: " + reason;
        }
    }
}
