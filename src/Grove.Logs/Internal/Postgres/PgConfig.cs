namespace Grove.Logs.Internal.Postgres;

/// <summary>Budgets of the PostgreSQL live store.</summary>
/// <param name="HeadBudget">Text bytes kept at the head of a task.</param>
/// <param name="TailBudget">Text bytes of tail kept (give or take one chunk).</param>
internal sealed record PgConfig(long HeadBudget, long TailBudget)
{
    public static PgConfig From(LogOptions o) => new(o.MaxTaskBytes / 2, o.MaxTaskBytes - (o.MaxTaskBytes / 2));
}
