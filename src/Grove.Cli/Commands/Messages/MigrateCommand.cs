using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Grove.Cli.Messages;
using Grove.Cli.Output;
using Grove.Messages;

namespace Grove.Cli.Commands.Messages;

/// <summary>
/// <c>grove messages migrate --from sqlite:PATH|postgres://… --table T …</c>: a legacy row-per-field table into one
/// document per message, in the data folder's database (docs/messages.md, "Migration").
/// </summary>
internal static class MigrateCommand
{
    public static Command Create(CliApp app)
    {
        var from = new Option<string>("--from") { Description = "The legacy database: sqlite:PATH or postgres://user:pass@host:port/db.", Required = true };
        var table = new Option<string>("--table") { Description = "The row-per-field table.", Required = true };
        var id = new Option<string>("--id-column") { Description = "The message id column (integers).", DefaultValueFactory = _ => "id" };
        var partner = new Option<string>("--partner-column") { Description = "The partner column.", DefaultValueFactory = _ => "partner" };
        var field = new Option<string>("--field-column") { Description = "The field name column.", DefaultValueFactory = _ => "field" };
        var value = new Option<string>("--value-column") { Description = "The value column.", DefaultValueFactory = _ => "value" };
        var display = new Option<string?>("--display-column") { Description = "The display name column (names generated mappings' fields without a config table)." };
        var time = new Option<string?>("--time-column") { Description = "The received-time column (Unix s/ms or text; +08:00 without an offset)." };
        var typeColumn = new Option<string?>("--type-column") { Description = "The message type column." };
        var type = new Option<string>("--type") { Description = "The type of every message without --type-column.", DefaultValueFactory = _ => "legacy" };
        var config = new Option<string?>("--config-table") { Description = "The legacy field-config table: missing mappings are generated from it and published first." };
        var configPartner = new Option<string>("--config-partner-column") { Description = "Its partner column.", DefaultValueFactory = _ => "partner" };
        var configField = new Option<string>("--config-field-column") { Description = "Its field column.", DefaultValueFactory = _ => "field" };
        var configDisplay = new Option<string>("--config-display-column") { Description = "Its display name column.", DefaultValueFactory = _ => "display" };
        var keys = new Option<string[]>("--key") { Description = "A legacy field generated mappings index as a business key (repeatable, at most 4).", HelpName = "field" };
        var workers = new Option<int>("--workers") { Description = "Parallel readers (default: cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var rangeSize = new Option<int>("--range-size") { Description = "Message ids per range (the unit of work and of checkpoints).", DefaultValueFactory = _ => 1000 };
        var resume = new Option<bool>("--resume") { Description = "Continue a stopped migration of the same source and table (committed ranges are skipped)." };
        var sample = new Option<int>("--sample") { Description = "Messages compared field by field in the verification.", DefaultValueFactory = _ => 100 };
        var report = new Option<string?>("--report") { Description = "Where the verification report (JSON) is saved (default: grove-migrate-RUN.json here)." };
        var drill = new Option<int>("--crash-drill") { Description = "Hang halfway through the n-th range written (to rehearse kill -9 and --resume).", Hidden = true };
        var command = new Command("migrate", "Migrate a legacy row-per-field table into one document per message (in the data folder's database).")
        {
            from, table, id, partner, field, value, display, time, typeColumn, type, config, configPartner, configField, configDisplay, keys, workers, rangeSize, resume, sample, report, drill,
        };
        app.SetAction(command, async (s, r, ct) =>
        {
            if (s.Server is not null)
            {
                throw CliException.Usage("'grove messages migrate' writes in bulk to the data folder's database (SQLite or PostgreSQL): run it with --data (and --store), not --server");
            }

            await using var local = await MessageBackends.OpenLocalAsync(s, ct);
            var options = new MigrationOptions
            {
                From = r.GetValue(from)!,
                Table = r.GetValue(table)!,
                IdColumn = r.GetValue(id)!,
                PartnerColumn = r.GetValue(partner)!,
                FieldColumn = r.GetValue(field)!,
                ValueColumn = r.GetValue(value)!,
                DisplayColumn = r.GetValue(display),
                TimeColumn = r.GetValue(time),
                TypeColumn = r.GetValue(typeColumn),
                Type = r.GetValue(type)!,
                ConfigTable = r.GetValue(config),
                ConfigPartnerColumn = r.GetValue(configPartner)!,
                ConfigFieldColumn = r.GetValue(configField)!,
                ConfigDisplayColumn = r.GetValue(configDisplay)!,
                Keys = r.GetValue(keys) ?? [],
                Workers = r.GetValue(workers),
                RangeSize = r.GetValue(rangeSize),
                Resume = r.GetValue(resume),
                SampleSize = r.GetValue(sample),
                HangAtWrite = r.GetValue(drill),
                Drill = line =>
                {
                    s.Error.WriteLine(line);
                    s.Error.Flush();
                },
            };
            var bar = new ProgressBar(s.Error);
            var result = await local.Engine.MigrateAsync(options, bar, ct);
            bar.Done();
            var path = s.Host.LocalPath(r.GetValue(report) ?? $"grove-migrate-{result.Run}.json");
            var json = JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerOptions.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            await File.WriteAllTextAsync(path, json, ct);
            if (s.Json)
            {
                s.Out.WriteLine(json);
            }
            else
            {
                s.Out.Write(TerminalText.Clean(result.ToText()).Replace("\r", "", StringComparison.Ordinal));
                s.Out.WriteLine($"report saved to {TerminalText.Clean(path)}");
            }

            return result.Ok ? ExitCodes.Ok : ExitCodes.Inconsistent;
        });
        return command;
    }

    /// <summary>One line on standard error, redrawn at most 4 times a second: a bar, rows, rows/s and ETA.</summary>
    private sealed class ProgressBar(TextWriter error) : IProgress<MigrationProgress>
    {
        private readonly Lock _gate = new();
        private long _last;
        private bool _drawn;

        public void Report(MigrationProgress p)
        {
            lock (_gate)
            {
                var now = Environment.TickCount64;
                if (now - _last < 250 && p.RangesDone < p.Ranges)
                {
                    return;
                }

                _last = now;
                var fraction = p.Ranges == 0 ? 1 : (double)p.RangesDone / p.Ranges;
                var filled = (int)(fraction * 30);
                var eta = p.Eta is { } e ? e.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "--:--:--";
                error.Write(string.Create(CultureInfo.InvariantCulture, $"\r[{new string('#', filled)}{new string('.', 30 - filled)}] {fraction * 100,3:F0}%  {p.Rows:N0} rows  {p.Messages:N0} messages  {p.RowsPerSecond:N0} rows/s  ETA {eta} "));
                error.Flush();
                _drawn = true;
            }
        }

        public void Done()
        {
            lock (_gate)
            {
                if (_drawn)
                {
                    error.WriteLine();
                }
            }
        }
    }
}
