using System.Globalization;
using System.Text;
using Grove.Tree.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Grove.Messages.Internal.Migration;

/// <summary>What <see cref="SqliteRangeReader.Next"/> found.</summary>
internal enum RangeStep
{
    Message,
    End,

    /// <summary>The rowid span held a message's rows out of id order: the caller drops what it read and calls <see cref="SqliteRangeReader.Begin"/> with <c>byIndex</c>.</summary>
    Disorder,
}

/// <summary>
/// Reads a range of legacy ids from a SQLite file through SQLite's own statement API on the connection's handle:
/// field names and values are copied as UTF-8 from SQLite's row buffer into one reused <see cref="Utf8Rows"/> (no
/// string and no boxed value per row, about a third of the per-row cost of <c>SqliteDataReader.GetString</c>).
/// When a range's rows lie together in rowid order (a table written message after message) the rowid span is read
/// sequentially instead of looking each row up through the id index.
/// </summary>
internal sealed class SqliteRangeReader : IDisposable
{
    private readonly sqlite3 _db;
    private readonly MigrationOptions _o;
    private sqlite3_stmt? _span;
    private sqlite3_stmt? _byRowid;
    private sqlite3_stmt? _byId;
    private sqlite3_stmt? _current;
    private bool _onRow;
    private bool _noRowid;
    private long _lo;
    private long _hi;
    private long _lastEmitted;
    private byte[] _partnerBytes = [];
    private string _partner = "";

    private SqliteRangeReader(sqlite3 db, MigrationOptions o)
    {
        _db = db;
        _o = o;
    }

    /// <summary>
    /// A reader on its own read-only handle of the file, opened without SQLite's per-call mutex (one worker uses it at
    /// a time: every <c>sqlite3_column_*</c> call would otherwise lock and unlock it), or null when the file's text is
    /// not UTF-8 (the caller reads through ADO.NET).
    /// </summary>
    public static SqliteRangeReader? TryOpen(string path, MigrationOptions o)
    {
        var rc = raw.sqlite3_open_v2(path, out var db, raw.SQLITE_OPEN_READONLY | raw.SQLITE_OPEN_NOMUTEX, null);
        if (rc != raw.SQLITE_OK)
        {
            db.Dispose();
            return null;
        }

        var reader = new SqliteRangeReader(db, o);
        using (var enc = reader.Prepare("PRAGMA encoding"))
        {
            if (raw.sqlite3_step(enc) != raw.SQLITE_ROW || raw.sqlite3_column_text(enc, 0).utf8_to_string() != "UTF-8")
            {
                reader.Dispose();
                return null;
            }
        }

        // Note that a memory map lets SQLite read the pages in place instead of copying each into its page cache.
        raw.sqlite3_exec(db, "PRAGMA mmap_size=4294967296; PRAGMA cache_size=-16384; PRAGMA busy_timeout=10000;");
        return reader;
    }

    /// <summary>Starts reading ids in [lo, hi): through the rowid span when it is dense and <paramref name="byIndex"/> is false, else through the id index.</summary>
    public void Begin(long lo, long hi, bool byIndex)
    {
        (_lo, _hi, _lastEmitted) = (lo, hi, long.MinValue);
        if (!byIndex && !_noRowid && Span(lo, hi) is { } span)
        {
            if (span.Last < span.First)
            {
                _current = null;
                _onRow = false;
                return;
            }

            _byRowid ??= Prepare(LegacyReader.Select(_o, "rowid >= @lo AND rowid <= @hi").Replace($" ORDER BY {EngineStorage.Quote(_o.IdColumn)}", " ORDER BY rowid", StringComparison.Ordinal));
            Run(_byRowid, span.First, span.Last);
            return;
        }

        _byId ??= Prepare(LegacyReader.Select(_o, "@lo <= {id} AND {id} < @hi"));
        Run(_byId, lo, hi);
    }

    /// <summary>Reads the next message of the range into <paramref name="m"/>.</summary>
    public RangeStep Next(Utf8Rows m)
    {
        m.Clear();
        var byRowid = ReferenceEquals(_current, _byRowid);
        while (_onRow)
        {
            var s = _current!;
            var id = raw.sqlite3_column_type(s, 0) == raw.SQLITE_INTEGER ? raw.sqlite3_column_int64(s, 0) : LegacySource.ToLong(Encoding.UTF8.GetString(raw.sqlite3_column_blob(s, 0)));
            if (byRowid && (id < _lo || id >= _hi))
            {
                Step();
                continue;
            }

            if (m.Count > 0 && id != m.Id)
            {
                _lastEmitted = m.Id;
                return RangeStep.Message;
            }

            if (m.Count == 0)
            {
                if (id <= _lastEmitted)
                {
                    return RangeStep.Disorder;
                }

                m.Id = id;
                m.Partner = Partner(s);
                m.Time = Value(s, 4);
                m.Type = raw.sqlite3_column_type(s, 5) == raw.SQLITE_NULL ? null : Encoding.UTF8.GetString(Text(s, 5, out _));
            }

            var field = Text(s, 2, out _);
            var value = Text(s, 3, out var isNull);
            m.Add(field, value, isNull);
            Step();
        }

        if (m.Count > 0)
        {
            _lastEmitted = m.Id;
            return RangeStep.Message;
        }

        return RangeStep.End;
    }

    private string Partner(sqlite3_stmt s)
    {
        var bytes = Text(s, 1, out _);
        if (!bytes.SequenceEqual(_partnerBytes))
        {
            _partnerBytes = bytes.ToArray();
            _partner = Encoding.UTF8.GetString(bytes);
        }

        return _partner;
    }

    /// <summary>A column as the legacy reader's text form in UTF-8 (SQLite converts an integer to its decimal text).</summary>
    private static ReadOnlySpan<byte> Text(sqlite3_stmt s, int i, out bool isNull)
    {
        var type = raw.sqlite3_column_type(s, i);
        isNull = type == raw.SQLITE_NULL;
        if (isNull)
        {
            return default;
        }

        return type == raw.SQLITE_FLOAT
            ? Encoding.UTF8.GetBytes(raw.sqlite3_column_double(s, i).ToString(CultureInfo.InvariantCulture))
            : raw.sqlite3_column_blob(s, i);
    }

    private static object? Value(sqlite3_stmt s, int i)
    {
        var type = raw.sqlite3_column_type(s, i);
        if (type == raw.SQLITE_INTEGER)
        {
            return raw.sqlite3_column_int64(s, i);
        }

        if (type == raw.SQLITE_FLOAT)
        {
            return raw.sqlite3_column_double(s, i);
        }

        return type == raw.SQLITE_TEXT ? Encoding.UTF8.GetString(raw.sqlite3_column_blob(s, i)) : null;
    }

    private (long First, long Last)? Span(long lo, long hi)
    {
        try
        {
            _span ??= Prepare($"SELECT min(rowid), max(rowid), count(*) FROM {EngineStorage.Quote(_o.Table)} WHERE {EngineStorage.Quote(_o.IdColumn)} >= @lo AND {EngineStorage.Quote(_o.IdColumn)} < @hi");
        }
        catch (SqliteException e) when (e.Message.Contains("rowid", StringComparison.OrdinalIgnoreCase))
        {
            // Note that a WITHOUT ROWID table has no rowid column.
            _noRowid = true;
            return null;
        }

        Run(_span, lo, hi);
        if (!_onRow || raw.sqlite3_column_type(_span, 0) == raw.SQLITE_NULL)
        {
            return (1, 0);
        }

        var (first, last, count) = (raw.sqlite3_column_int64(_span, 0), raw.sqlite3_column_int64(_span, 1), raw.sqlite3_column_int64(_span, 2));
        return last - first + 1 > count * 2 ? null : (first, last);
    }

    private sqlite3_stmt Prepare(string sql)
    {
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var stmt);
        SqliteException.ThrowExceptionForRC(rc, _db);
        return stmt;
    }

    private void Run(sqlite3_stmt s, long lo, long hi)
    {
        raw.sqlite3_reset(s);
        raw.sqlite3_bind_int64(s, 1, lo);
        raw.sqlite3_bind_int64(s, 2, hi);
        _current = s;
        Step();
    }

    private void Step()
    {
        var rc = raw.sqlite3_step(_current);
        if (rc is not raw.SQLITE_ROW and not raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        _onRow = rc == raw.SQLITE_ROW;
    }

    public void Dispose()
    {
        _span?.Dispose();
        _byRowid?.Dispose();
        _byId?.Dispose();
        _db.Dispose();
    }
}
