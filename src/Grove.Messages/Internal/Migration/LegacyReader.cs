using System.Data.Common;
using System.Globalization;
using Grove.Tree.Storage;

namespace Grove.Messages.Internal.Migration;

/// <summary>One legacy message: its id, partner, type, time and rows in order.</summary>
internal sealed class LegacyMessage
{
    public long Id;
    public string Partner = "";
    public string? Type;
    public object? Time;
    public readonly List<(string Field, string? Value)> Rows = [];
}

/// <summary>Reads a range of legacy ids on one connection, grouping consecutive rows of an id into one message.</summary>
internal sealed class LegacyReader(DbConnection connection, MigrationOptions o) : IAsyncDisposable
{
    private readonly DbCommand _range = Prepare(connection, o, "@lo <= {id} AND {id} < @hi");
    private readonly bool _sqlite = connection is Microsoft.Data.Sqlite.SqliteConnection;
    private DbCommand? _span;
    private DbCommand? _byRowid;
    private bool _noRowid;

    public static string Select(MigrationOptions o, string where)
    {
        var id = EngineStorage.Quote(o.IdColumn);
        var cols = new List<string> { id, EngineStorage.Quote(o.PartnerColumn), EngineStorage.Quote(o.FieldColumn), EngineStorage.Quote(o.ValueColumn) };
        cols.Add(o.TimeColumn is null ? "NULL" : EngineStorage.Quote(o.TimeColumn));
        cols.Add(o.TypeColumn is null ? "NULL" : EngineStorage.Quote(o.TypeColumn));
        return $"SELECT {string.Join(", ", cols)} FROM {EngineStorage.Quote(o.Table)} WHERE {where.Replace("{id}", id, StringComparison.Ordinal)} ORDER BY {id}";
    }

    private static DbCommand Prepare(DbConnection c, MigrationOptions o, string where)
    {
        var cmd = EngineStorage.Command(c, null, Select(o, where));
        EngineStorage.Parameter(cmd, "lo", 0L);
        EngineStorage.Parameter(cmd, "hi", 0L);
        return cmd;
    }

    /// <summary>Calls <paramref name="each"/> for every message with an id in [lo, hi), in id order. The message object is reused.</summary>
    public async Task ReadAsync(long lo, long hi, Action<LegacyMessage> each, CancellationToken ct)
    {
        if (_sqlite && !_noRowid && await TryByRowidAsync(lo, hi, each, ct))
        {
            return;
        }

        _range.Parameters[0].Value = lo;
        _range.Parameters[1].Value = hi;
        await using var r = await _range.ExecuteReaderAsync(ct);
        await ReadAllAsync(r, each, ct);
    }

    /// <summary>
    /// SQLite: when the range's rows lie close together in rowid order (a legacy table written message after message),
    /// reads that rowid span sequentially instead of looking every row up through the id index (about half the CPU),
    /// keeping the rows whose id is in the range and grouping them by id. False when the span is sparse or the table
    /// has no rowid: the caller reads through the index.
    /// </summary>
    private async Task<bool> TryByRowidAsync(long lo, long hi, Action<LegacyMessage> each, CancellationToken ct)
    {
        var id = EngineStorage.Quote(o.IdColumn);
        var table = EngineStorage.Quote(o.Table);
        try
        {
            _span ??= Prepare(connection, $"SELECT min(rowid), max(rowid), count(*) FROM {table} WHERE {id} >= @lo AND {id} < @hi");
        }
        catch (DbException)
        {
            _noRowid = true;
            return false;
        }

        _span.Parameters[0].Value = lo;
        _span.Parameters[1].Value = hi;
        long first, last, count;
        try
        {
            await using var r = await _span.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct) || r.IsDBNull(0))
            {
                return true;
            }

            (first, last, count) = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
        }
        catch (DbException)
        {
            // Note that a WITHOUT ROWID table has no rowid column.
            _noRowid = true;
            return false;
        }

        if (last - first + 1 > count * 2)
        {
            return false;
        }

        _byRowid ??= Prepare(connection, Select(o, "rowid >= @lo AND rowid <= @hi").Replace($" ORDER BY {id}", " ORDER BY rowid", StringComparison.Ordinal));
        _byRowid.Parameters[0].Value = first;
        _byRowid.Parameters[1].Value = last;
        var messages = new SortedDictionary<long, LegacyMessage>();
        await using (var r = await _byRowid.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var mid = r.GetFieldType(0) == typeof(long) ? r.GetInt64(0) : LegacySource.ToLong(r.GetValue(0));
                if (mid < lo || mid >= hi)
                {
                    continue;
                }

                if (!messages.TryGetValue(mid, out var m))
                {
                    messages[mid] = m = new LegacyMessage { Id = mid, Partner = Text(r, 1) ?? "", Time = r.IsDBNull(4) ? null : r.GetValue(4), Type = Text(r, 5) };
                }

                m.Rows.Add((Text(r, 2) ?? "", Text(r, 3)));
            }
        }

        foreach (var m in messages.Values)
        {
            each(m);
        }

        return true;
    }

    private static DbCommand Prepare(DbConnection c, string sql)
    {
        var cmd = EngineStorage.Command(c, null, sql);
        EngineStorage.Parameter(cmd, "lo", 0L);
        EngineStorage.Parameter(cmd, "hi", 0L);
        return cmd;
    }

    public static async Task ReadAllAsync(DbDataReader r, Action<LegacyMessage> each, CancellationToken ct)
    {
        var m = new LegacyMessage();
        var any = false;
        while (await r.ReadAsync(ct))
        {
            var id = r.GetFieldType(0) == typeof(long) ? r.GetInt64(0) : LegacySource.ToLong(r.GetValue(0));
            if (!any || id != m.Id)
            {
                if (any)
                {
                    each(m);
                }

                any = true;
                m.Id = id;
                m.Rows.Clear();
                m.Partner = Text(r, 1) ?? "";
                m.Time = r.IsDBNull(4) ? null : r.GetValue(4);
                m.Type = Text(r, 5);
            }

            m.Rows.Add((Text(r, 2) ?? "", Text(r, 3)));
        }

        if (any)
        {
            each(m);
        }
    }

    private static string? Text(DbDataReader r, int i)
    {
        if (r.IsDBNull(i))
        {
            return null;
        }

        var v = r.GetValue(i);
        return v as string ?? Convert.ToString(v, CultureInfo.InvariantCulture);
    }

    /// <summary>A legacy time: Unix seconds or milliseconds, or text (ISO 8601; +08:00 when it has no offset). Null when it does not parse.</summary>
    public static long? TimeMs(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case long or int or double or decimal:
                var n = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                return (long)(n > 100_000_000_000 ? n : n * 1000);
            case DateTime dt:
                return (dt.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(dt, TimeSpan.FromHours(8)) : new DateTimeOffset(dt.ToUniversalTime())).ToUnixTimeMilliseconds();
            case DateTimeOffset dto:
                return dto.ToUnixTimeMilliseconds();
        }

        var s = Convert.ToString(value, CultureInfo.InvariantCulture)!.Trim();
        if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var l))
        {
            return TimeMs(l);
        }

        if (!DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t))
        {
            return null;
        }

        return t.Kind switch
        {
            DateTimeKind.Unspecified => new DateTimeOffset(t, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds(),
            _ => new DateTimeOffset(t.ToUniversalTime()).ToUnixTimeMilliseconds(),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _range.DisposeAsync();
        if (_span is not null)
        {
            await _span.DisposeAsync();
        }

        if (_byRowid is not null)
        {
            await _byRowid.DisposeAsync();
        }
    }
}
