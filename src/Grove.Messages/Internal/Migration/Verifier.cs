using System.Globalization;
using System.Text.Json.Nodes;
using Grove.Messages.Internal.Mapping;
using Grove.Messages.Internal.Storage;
using Grove.Tree.Storage;

namespace Grove.Messages.Internal.Migration;

/// <summary>
/// The final check of a migration: the source counted again (messages, rows, rows with a value) against the store
/// (messages of the run, fields in their documents), and a random sample of messages compared field by field.
/// </summary>
internal sealed class Verifier(IMessageStore store, MappingSource mappings)
{
    public async Task<MigrationReport> VerifyAsync(LegacySource source, MigrationOptions o, MigrationRun run, CancellationToken ct)
    {
        var id = EngineStorage.Quote(o.IdColumn);
        long sourceRows = 0, sourceMessages = 0, sourceFields = 0;
        await using (var c = await source.OpenAsync(ct))
        {
            await using var cmd = EngineStorage.Command(c, null,
                $"SELECT count(*), count(DISTINCT {id}), count(NULLIF(CAST({EngineStorage.Quote(o.ValueColumn)} AS TEXT), '')) FROM {EngineStorage.Quote(o.Table)} WHERE {id} >= @lo AND {id} <= @hi");
            EngineStorage.Parameter(cmd, "lo", run.Lo);
            EngineStorage.Parameter(cmd, "hi", run.Hi);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (await r.ReadAsync(ct))
            {
                sourceRows = Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture);
                sourceMessages = Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture);
                sourceFields = Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture);
            }
        }

        var (targetMessages, targetFields) = await store.CountOriginAsync(run.Run, ct);
        var checkpoints = await store.CheckpointsAsync(run.Run, ct);
        var (checkedCount, mismatches) = await SampleAsync(source, o, run, ct);
        return new MigrationReport
        {
            Run = run.Run,
            Source = run.Source,
            SourceMessages = sourceMessages,
            SourceRows = sourceRows,
            SourceFields = sourceFields,
            TargetMessages = targetMessages,
            TargetFields = targetFields,
            Skipped = checkpoints.Sum(c => c.Messages - c.Stored),
            Unmapped = checkpoints.Sum(c => c.Unmapped),
            Unconverted = checkpoints.Sum(c => c.Unconverted),
            MissingRequired = checkpoints.Sum(c => c.Missing),
            Filled = checkpoints.Sum(c => c.Filled),
            SampleChecked = checkedCount,
            Mismatches = mismatches,
        };
    }

    private async Task<(int Checked, List<string> Mismatches)> SampleAsync(LegacySource source, MigrationOptions o, MigrationRun run, CancellationToken ct)
    {
        var mismatches = new List<string>();
        if (o.SampleSize == 0 || run.Hi < run.Lo)
        {
            return (0, mismatches);
        }

        var id = EngineStorage.Quote(o.IdColumn);
        var random = new Random(run.Run.GetHashCode(StringComparison.Ordinal));
        var seen = new HashSet<long>();
        var count = 0;
        await using var c = await source.OpenAsync(ct);
        await using var pick = EngineStorage.Command(c, null, $"SELECT min({id}) FROM {EngineStorage.Quote(o.Table)} WHERE {id} >= @x AND {id} <= @hi");
        EngineStorage.Parameter(pick, "x", 0L);
        EngineStorage.Parameter(pick, "hi", run.Hi);
        await using var rows = EngineStorage.Command(c, null, LegacyReader.Select(o, "{id} = @id"));
        EngineStorage.Parameter(rows, "id", 0L);
        for (var attempt = 0; attempt < o.SampleSize * 3 && count < o.SampleSize; attempt++)
        {
            pick.Parameters[0].Value = run.Lo + random.NextInt64(run.Hi - run.Lo + 1);
            if (await pick.ExecuteScalarAsync(ct) is not { } found || found is DBNull || !seen.Add(LegacySource.ToLong(found)))
            {
                continue;
            }

            rows.Parameters[0].Value = LegacySource.ToLong(found);
            LegacyMessage? legacy = null;
            await using (var r = await rows.ExecuteReaderAsync(ct))
            {
                await LegacyReader.ReadAllAsync(r, m =>
                {
                    legacy = new LegacyMessage { Id = m.Id, Partner = m.Partner, Type = m.Type };
                    legacy.Rows.AddRange(m.Rows);
                }, ct);
            }

            if (legacy is null)
            {
                continue;
            }

            count++;
            await CompareAsync(legacy, mismatches, ct);
        }

        return (count, mismatches);
    }

    private async Task CompareAsync(LegacyMessage legacy, List<string> mismatches, CancellationToken ct)
    {
        var sourceId = legacy.Id.ToString(CultureInfo.InvariantCulture);
        var stored = await store.FindAsync(legacy.Partner, sourceId, false, ct);
        if (stored is null)
        {
            mismatches.Add($"{legacy.Partner} {sourceId}: not in the store");
            return;
        }

        var mapper = new LegacyMapper(await mappings.AtAsync(stored.Partner, stored.Type, stored.Revision, ct));
        var doc = JsonNode.Parse(stored.DocumentJson) as JsonObject ?? [];
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, raw) in legacy.Rows)
        {
            var field = mapper.FieldOf(name);
            var key = field?.Name ?? name;
            if (!used.Add(key))
            {
                continue;
            }

            var expected = LegacyMapper.Expected(field, raw);
            var actual = doc[key] is { } v ? ValueConverter.Text(v) : null;
            if (!string.Equals(expected, actual, StringComparison.Ordinal))
            {
                mismatches.Add($"{legacy.Partner} {sourceId} {name}: legacy '{Clip(expected)}', stored '{Clip(actual)}'");
            }
        }
    }

    private static string Clip(string? s) => s is null ? "(none)" : s.Length <= 40 ? s : s[..40] + "…";
}
