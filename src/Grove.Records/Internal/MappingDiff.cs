namespace Grove.Records.Internal;

/// <summary>What a new mapping adds to an old one; anything that would drop or rewrite data is refused with the reason.</summary>
internal static class MappingDiff
{
    public static (List<RecordField> Fields, List<RecordIndex> Indexes) Additions(RecordMapping old, RecordMapping now)
    {
        if (old.TableName != now.TableName)
        {
            throw Destructive($"tableName cannot change ('{old.TableName}' → '{now.TableName}'): define a new record set", "tableName");
        }

        if (!old.Pks.SequenceEqual(now.Pks))
        {
            throw Destructive("pks cannot change: rows are found and moved by their key", "pks");
        }

        var (oldStrategy, nowStrategy) = (old.History?.Strategy ?? HistoryStrategy.Tables, now.History?.Strategy ?? HistoryStrategy.Tables);
        if ((oldStrategy == HistoryStrategy.Partitions || nowStrategy == HistoryStrategy.Partitions)
            && (oldStrategy != nowStrategy || old.History?.Interval != now.History?.Interval || old.History?.CutField != now.History?.CutField))
        {
            throw Destructive("history.strategy partitions: the strategy, cutField and interval cannot change (they shape the main table)", "history");
        }

        foreach (var f in old.Fields)
        {
            var n = now.Field(f.Name) ?? throw Destructive($"field '{f.Name}' cannot be removed (its column holds data)", f.Name);
            if (n.Type != f.Type || n.ColumnName != f.ColumnName || n.CustomDbType != f.CustomDbType || n.NotNull != f.NotNull
                || n.Unsigned != f.Unsigned || n.AutoIncreasement != f.AutoIncreasement || n.CaseSensitive != f.CaseSensitive)
            {
                throw Destructive($"field '{f.Name}' cannot change its type, column, customDbType, notNull, unsigned, autoIncreasement or casesensitive (only new fields and indexes are added)", f.Name);
            }
        }

        var fields = now.Fields.Where(f => old.Field(f.Name) is null).ToList();
        foreach (var f in fields.Where(f => f.NotNull || f.AutoIncreasement))
        {
            throw Destructive($"new field '{f.Name}' cannot be notNull or autoIncreasement: existing rows have no value", f.Name);
        }

        foreach (var x in old.Indexes)
        {
            var n = now.Indexes.FirstOrDefault(i => i.Name == x.Name) ?? throw Destructive($"index '{x.Name}' cannot be removed", "indexes." + x.Name);
            if (n.Unique != x.Unique || !n.Fields.SequenceEqual(x.Fields))
            {
                throw Destructive($"index '{x.Name}' cannot change; add an index under a new name", "indexes." + x.Name);
            }
        }

        return (fields, now.Indexes.Where(x => old.Indexes.All(o => o.Name != x.Name)).ToList());
    }

    private static RecordsException Destructive(string message, string field) => new(RecordsErrorCode.DestructiveChange, message, field);
}
