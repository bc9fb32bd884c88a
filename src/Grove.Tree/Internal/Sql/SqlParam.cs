namespace Grove.Tree.Internal.Sql;

/// <summary>
/// One query parameter. <see cref="Value"/> is a string, long, double, int or (SQLite only) byte[]. When
/// <see cref="IsJson"/> is set (PostgreSQL only) the value is JSON text and the SQL casts it with <c>::jsonb</c>.
/// </summary>
/// <param name="Name">The placeholder, such as <c>@p0</c>.</param>
/// <param name="Value">The value to bind; never null.</param>
/// <param name="IsJson">True when the value is JSON text for a jsonb comparison.</param>
internal sealed record SqlParam(string Name, object Value, bool IsJson);
