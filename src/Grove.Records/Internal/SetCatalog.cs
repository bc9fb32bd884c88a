using System.Collections.Concurrent;
using Grove.Tree.Cluster;
using Grove.Tree.Storage;

namespace Grove.Records.Internal;

/// <summary>
/// The record set definitions (table <c>grove_record_sets</c>) and each set's physical tables
/// (<c>grove_record_tables</c>: the main table, dynamic tables, history tables with their sequence and rows moved in).
/// Definitions are cached per node and reloaded when another node announces a change on the bus.
/// </summary>
internal sealed class SetCatalog : IDisposable
{
    private static readonly BusTopic<string> SetsTopic = new("records.sets", s => s, s => s);
    private readonly Db _db;
    private readonly IClusterBus _bus;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, CompiledSet> _sets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _ensured = new(StringComparer.Ordinal);
    private readonly IDisposable _subscription;

    public SetCatalog(Db db, IClusterBus bus, TimeProvider time)
    {
        _db = db;
        _bus = bus;
        _time = time;
        _subscription = SetsTopic.Subscribe(bus, (name, _) => Forget(name), () =>
        {
            _sets.Clear();
            _ensured.Clear();
        });
    }

    /// <summary>Called after a set's definition changed here or elsewhere.</summary>
    public Action<string>? Changed { get; set; }

    private void Forget(string name)
    {
        _sets.TryRemove(name, out _);
        _ensured.Clear();
        Changed?.Invoke(name);
    }

    /// <summary>The definition when this node has it loaded (no I/O, no allocation).</summary>
    public bool TryGetLoaded(string name, out CompiledSet set) => _sets.TryGetValue(name, out set!);

    public async Task<CompiledSet> GetAsync(string name, CancellationToken ct)
    {
        if (_sets.TryGetValue(name, out var set))
        {
            return set;
        }

        CheckName(name);
        await using var s = await _db.BeginReadAsync(ct);
        set = await LoadAsync(s, name, ct) ?? throw RecordsException.SetNotFound(name);
        _sets[name] = set;
        return set;
    }

    public static void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || !MappingValidator.IsIdentifier(name))
        {
            throw RecordsException.Argument($"record set name '{name}' is not a valid identifier (a letter or _, then letters, digits or _, at most 63)", "name");
        }
    }

    private static async Task<CompiledSet?> LoadAsync(Session s, string name, CancellationToken ct)
    {
        await using var cmd = Db.Command(s, "SELECT mapping, revision FROM grove_record_sets WHERE name = @p0", name);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? new CompiledSet(name, RecordMapping.Parse(r.GetString(0)), r.GetInt64(1)) : null;
    }

    public async Task<IReadOnlyList<string>> NamesAsync(CancellationToken ct)
    {
        await using var s = await _db.BeginReadAsync(ct);
        await using var cmd = Db.Command(s, "SELECT name FROM grove_record_sets ORDER BY name");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var names = new List<string>();
        while (await r.ReadAsync(ct))
        {
            names.Add(r.GetString(0));
        }

        return names;
    }

    /// <summary>Creates or extends a set: its tables and indexes from the mapping, then the definition, in one transaction.</summary>
    public async Task<CompiledSet> DefineAsync(string name, RecordMapping mapping, CancellationToken ct)
    {
        CheckName(name);
        mapping.Validate();
        if (mapping.History is { Strategy: HistoryStrategy.Partitions } && !_db.IsPostgres)
        {
            throw RecordsException.Mapping("history.strategy partitions needs PostgreSQL (native range partitioning); use the default strategy, tables, on SQLite", "history.strategy");
        }

        await using var s = await _db.BeginWriteAsync(ct);
        await _db.LockAsync(s, "define", ct);
        var old = await LoadAsync(s, name, ct);
        var set = new CompiledSet(name, mapping, (old?.Revision ?? 0) + 1);
        var tables = await TablesAsync(s, name, ct);
        if (old is null)
        {
            if (!set.Template.IsDynamic)
            {
                await EnsureTableAsync(s, set, set.Template.Static, ct);
            }
        }
        else
        {
            var (fields, indexes) = MappingDiff.Additions(old.Mapping, mapping);
            // Note that a partition takes its columns and indexes from the partitioned main table.
            foreach (var t in tables.Where(t => t.Kind != RecordTableKind.Partition))
            {
                var history = t.Kind == RecordTableKind.History;
                foreach (var f in fields)
                {
                    await EngineStorage.ExecAsync(s.Connection, s.Transaction, Ddl.AddColumn(f, t.Name, _db.Flavor), ct);
                }

                foreach (var x in indexes)
                {
                    await EngineStorage.ExecAsync(s.Connection, s.Transaction, Ddl.CreateIndex(set, t.Name, x, history), ct);
                }

                if (!history && Ddl.CutIndex(set, t.Name) is { } cut)
                {
                    await EngineStorage.ExecAsync(s.Connection, s.Transaction, cut, ct);
                }
            }
        }

        await using (var up = Db.Command(s, """
            INSERT INTO grove_record_sets (name, mapping, revision, updated) VALUES (@p0, @p1, @p2, @p3)
            ON CONFLICT (name) DO UPDATE SET mapping = excluded.mapping, revision = excluded.revision, updated = excluded.updated
            """, name, mapping.ToJson(), set.Revision, _time.GetUtcNow().ToUnixTimeMilliseconds()))
        {
            await up.ExecuteNonQueryAsync(ct);
        }

        await SetsTopic.PublishAsync(_bus, name, s.WriteTransaction, ct);
        await s.CommitAsync(ct);
        _sets[name] = set;
        _ensured.Clear();
        Changed?.Invoke(name);
        return set;
    }

    /// <summary>Makes sure a main (or dynamic) table exists and is registered; with autoCreate false a missing table is an error.</summary>
    public async Task EnsureTableAsync(Session s, CompiledSet set, string table, CancellationToken ct)
    {
        if (_ensured.ContainsKey(table))
        {
            return;
        }

        if (!await _db.TableExistsAsync(s, table, ct))
        {
            if (!set.Mapping.AutoCreate)
            {
                throw new RecordsException(RecordsErrorCode.NotFound, $"table '{table}' of record set '{set.Name}' does not exist and autoCreate is false", "tableName");
            }

            foreach (var sql in Ddl.CreateTable(set, table, _db.Flavor, history: false))
            {
                await EngineStorage.ExecAsync(s.Connection, s.Transaction, sql, ct);
            }

            if (Ddl.Partitioned(set, _db.Flavor))
            {
                await RegisterAsync(s, set.Name, PartitionRotator.DefaultName(set), RecordTableKind.Partition, -1, ct);
            }
        }
        else
        {
            // Note that a set defined over a table that exists (one an engine created before it stored through records) gets the mapping's indexes.
            foreach (var x in set.Mapping.Indexes)
            {
                await EngineStorage.ExecAsync(s.Connection, s.Transaction, Ddl.CreateIndex(set, table, x, history: false), ct);
            }
        }

        await RegisterAsync(s, set.Name, table, RecordTableKind.Main, 0, ct);
    }

    /// <summary>Makes sure a dynamic table exists, in its own transaction (so a failed insert does not undo it).</summary>
    public async Task EnsureDynamicAsync(CompiledSet set, string table, CancellationToken ct)
    {
        if (_ensured.ContainsKey(table))
        {
            return;
        }

        await using var s = await _db.BeginWriteAsync(ct);
        await _db.LockAsync(s, "define", ct);
        await EnsureTableAsync(s, set, table, ct);
        await s.CommitAsync(ct);
        _ensured[table] = true;
    }

    /// <summary>Registers a table; a new history table of an integer-keyed set starts with an empty key range it widens as rows move in.</summary>
    public async Task RegisterAsync(Session s, string set, string table, RecordTableKind kind, int seq, CancellationToken ct, bool ranged = false)
    {
        await using var cmd = Db.Command(s, """
            INSERT INTO grove_record_tables (set_name, table_name, kind, seq, moved, created, ranged) VALUES (@p0, @p1, @p2, @p3, 0, @p4, @p5)
            ON CONFLICT (set_name, table_name) DO NOTHING
            """, set, table, KindName(kind), seq, _time.GetUtcNow().ToUnixTimeMilliseconds(), (short)(ranged ? 1 : 0));
        try
        {
            await cmd.ExecuteNonQueryAsync(ct);
        }
        catch (Exception e) when (Db.Map(e, set) is { Code: RecordsErrorCode.DuplicateKey })
        {
            throw RecordsException.Mapping($"table '{table}' belongs to another record set", "tableName");
        }
    }

    /// <summary>The set's tables: main tables first, then history tables newest first.</summary>
    public static async Task<List<RecordTableInfo>> TablesAsync(Session s, string set, CancellationToken ct)
    {
        await using var cmd = Db.Command(s, "SELECT table_name, kind, seq, moved, key_min, key_max, ranged FROM grove_record_tables WHERE set_name = @p0 ORDER BY CASE kind WHEN 'main' THEN 0 WHEN 'partition' THEN 1 ELSE 2 END, seq DESC, table_name", set);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<RecordTableInfo>();
        while (await r.ReadAsync(ct))
        {
            list.Add(new RecordTableInfo(r.GetString(0), KindOf(r.GetString(1)), r.GetInt32(2), r.GetInt64(3), r.IsDBNull(4) ? null : r.GetInt64(4), r.IsDBNull(5) ? null : r.GetInt64(5))
            {
                Ranged = r.GetInt16(6) == 1,
            });
        }

        return list;
    }

    /// <summary>Counts rows moved into a history table and widens its key range by theirs (same transaction as the move).</summary>
    public static async Task MovedInAsync(Session s, CompiledSet set, string table, long rows, long min, long max, CancellationToken ct)
    {
        var widen = set.IntegerKeyed && rows > 0;
        var sql = "UPDATE grove_record_tables SET moved = moved + @p0" + (widen
            ? """
              , key_min = CASE WHEN key_min IS NULL OR key_min > @p3 THEN @p3 ELSE key_min END,
                key_max = CASE WHEN key_max IS NULL OR key_max < @p4 THEN @p4 ELSE key_max END
              """
            : "") + " WHERE set_name = @p1 AND table_name = @p2";
        await using var cmd = widen ? Db.Command(s, sql, rows, set.Name, table, min, max) : Db.Command(s, sql, rows, set.Name, table);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Reads a history table's key range from its rows (a table from before ranges were kept, or a detached partition).</summary>
    public static async Task RangeAsync(Session s, CompiledSet set, string table, CancellationToken ct)
    {
        if (!set.IntegerKeyed)
        {
            return;
        }

        var k = EngineStorage.Quote(set.Pks[0].ColumnName);
        var t = EngineStorage.Quote(table);
        await using var cmd = Db.Command(s, $"""
            UPDATE grove_record_tables SET key_min = (SELECT MIN({k}) FROM {t}), key_max = (SELECT MAX({k}) FROM {t}), ranged = 1
            WHERE set_name = @p0 AND table_name = @p1
            """, set.Name, table);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static RecordTableKind KindOf(string kind) => kind switch
    {
        "main" => RecordTableKind.Main,
        "partition" => RecordTableKind.Partition,
        _ => RecordTableKind.History,
    };

    /// <summary>The catalog's name of a table kind.</summary>
    public static string KindName(RecordTableKind kind) => kind switch
    {
        RecordTableKind.Main => "main",
        RecordTableKind.Partition => "partition",
        _ => "history",
    };

    public void Dispose() => _subscription.Dispose();
}
