using System.Text;
using System.Text.Json;
using Grove.Tree.Storage;

namespace Grove.Records.Internal;

/// <summary>A total order over a set's rows (the given keys, then the primary key), its SQL, its keyset predicate and its cursor.</summary>
internal sealed class SortPlan : IComparer<RecordRow>
{
    private readonly List<(RecordField Field, bool Desc)> _keys = [];
    private readonly SqlFlavor _flavor;

    public SortPlan(CompiledSet set, IReadOnlyList<string>? sort, SqlFlavor flavor)
    {
        _flavor = flavor;
        foreach (var raw in sort ?? [])
        {
            var text = raw.Trim();
            var desc = text.StartsWith('-');
            var name = desc ? text[1..] : text;
            var space = name.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0)
            {
                var dir = name[(space + 1)..].Trim().ToLowerInvariant();
                desc = dir == "desc" ? true : dir == "asc" ? false : throw RecordsException.Query($"sort key '{raw}': direction is asc or desc");
                name = name[..space];
            }

            var f = set.ByName.GetValueOrDefault(name) ?? throw RecordsException.Query($"record set '{set.Name}' has no field '{name}' to sort on", name);
            if (f.IsOpaque || (!f.NotNull && !set.Pks.Contains(f)))
            {
                throw RecordsException.Query($"field '{name}' cannot be a sort key: sort keys are notNull fields of plain types (rows without a value have no place in a keyset page)", name);
            }

            if (_keys.Any(k => k.Field == f))
            {
                throw RecordsException.Query($"field '{name}' is sorted twice", name);
            }

            _keys.Add((f, desc));
        }

        foreach (var pk in set.Pks.Where(p => _keys.All(k => k.Field != p)))
        {
            _keys.Add((pk, false));
        }

        Signature = string.Join(",", _keys.Select(k => (k.Desc ? "-" : "") + k.Field.Name));
    }

    public string Signature { get; }

    public IEnumerable<RecordField> Fields => _keys.Select(k => k.Field);

    /// <summary>The sort keys' columns, quoted and comma-separated (a keys-only select list).</summary>
    public string Columns => string.Join(", ", _keys.Select(k => EngineStorage.Quote(k.Field.ColumnName)));

    private string Col(RecordField f) =>
        EngineStorage.Quote(f.ColumnName) + (_flavor == SqlFlavor.Postgres && f.Type == RecordFieldType.String ? " COLLATE \"C\"" : "");

    public string OrderBy => string.Join(", ", _keys.Select(k => Col(k.Field) + (k.Desc ? " DESC" : " ASC")));

    /// <summary>Rows strictly after the cursor's values, in this order.</summary>
    public string After(object[] values, List<object?> args) => Keyset(values, args, atOrBefore: false);

    private string Keyset(object[] values, List<object?> args, bool atOrBefore)
    {
        if (_keys.Count > 1 && _keys.All(k => k.Desc == _keys[0].Desc))
        {
            // Note that one row comparison, (a, b) > (x, y), is what both databases seek an index on (a, b) with;
            // the equivalent OR of terms makes PostgreSQL scan the index from its start.
            var cols = new List<string>(_keys.Count);
            var ps = new List<string>(_keys.Count);
            for (var i = 0; i < _keys.Count; i++)
            {
                args.Add(values[i]);
                cols.Add(Col(_keys[i].Field));
                ps.Add("@p" + (args.Count - 1));
            }

            var op = (_keys[0].Desc, atOrBefore) switch { (false, false) => ">", (true, false) => "<", (false, true) => "<=", (true, true) => ">=" };
            return $"(({string.Join(", ", cols)}) {op} ({string.Join(", ", ps)}))";
        }

        var ors = new List<string>();
        for (var i = 0; i < _keys.Count; i++)
        {
            var sb = new StringBuilder("(");
            for (var j = 0; j < i; j++)
            {
                args.Add(values[j]);
                sb.Append(Col(_keys[j].Field)).Append(" = @p").Append(args.Count - 1).Append(" AND ");
            }

            args.Add(values[i]);
            sb.Append(Col(_keys[i].Field)).Append(_keys[i].Desc ? " < @p" : " > @p").Append(args.Count - 1).Append(')');
            ors.Add(sb.ToString());
        }

        // Note that sort keys are never null, so "not after" is exactly "at or before".
        return (atOrBefore ? "NOT " : "") + "(" + string.Join(" OR ", ors) + ")";
    }

    /// <summary>Rows up to and including the one with these values, in this order.</summary>
    public string AtOrBefore(object[] values, List<object?> args) => Keyset(values, args, atOrBefore: true);

    public string Cursor(RecordRow row)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new CursorBody(Signature, _keys.Select(k => row[k.Field.Name]).ToArray()));
        return Convert.ToBase64String(payload).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The cursor of a row with these sort values (one per key of this order), as <see cref="Cursor"/> writes it.</summary>
    public string CursorOf(IReadOnlyList<object?> values)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new CursorBody(Signature, [.. values]));
        return Convert.ToBase64String(payload).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>How many keys the order has (the given ones and the key fields appended).</summary>
    public int KeyCount => _keys.Count;

    public object[] ReadCursor(string cursor)
    {
        CursorBody? body;
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
            body = JsonSerializer.Deserialize<CursorBody>(Convert.FromBase64String(b64));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw RecordsException.Query("the cursor is malformed");
        }

        if (body?.S != Signature || body.V is null || body.V.Length != _keys.Count)
        {
            throw RecordsException.Query("the cursor belongs to another sort order");
        }

        return _keys.Select((k, i) => body.V[i] is JsonElement e ? ValueCodec.ToDb(k.Field, e) : throw RecordsException.Query("the cursor is malformed")).ToArray();
    }

    /// <summary>Compares two rows given as their sort values (one per key of this order, as the database returned them).</summary>
    public int CompareKeys(object[] x, object[] y)
    {
        for (var i = 0; i < _keys.Count; i++)
        {
            var c = CompareValues(_keys[i].Field, x[i], y[i]);
            if (c != 0)
            {
                return _keys[i].Desc ? -c : c;
            }
        }

        return 0;
    }

    public int Compare(RecordRow? x, RecordRow? y)
    {
        foreach (var (f, desc) in _keys)
        {
            var c = CompareValues(f, x![f.Name], y![f.Name]);
            if (c != 0)
            {
                return desc ? -c : c;
            }
        }

        return 0;
    }

    private int CompareValues(RecordField f, object? a, object? b) => (a, b) switch
    {
        // Note that integers and reals (what both databases return for them) compare without Convert.ChangeType,
        // which boxes a copy per comparison: a page across many tables merges and sorts hundreds of keys.
        (long p, long q) => p.CompareTo(q),
        (int p, int q) => p.CompareTo(q),
        (double p, double q) => p.CompareTo(q),
        (string s, string t) => _flavor == SqlFlavor.Sqlite && !f.CaseSensitive ? string.Compare(s, t, StringComparison.OrdinalIgnoreCase) : string.CompareOrdinal(s, t),
        (bool p, bool q) => p.CompareTo(q),
        (IComparable p, { } q) => p.CompareTo(Convert.ChangeType(q, p.GetType(), System.Globalization.CultureInfo.InvariantCulture)),
        _ => 0,
    };

    private sealed record CursorBody(string S, object?[] V);
}
