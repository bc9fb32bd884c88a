using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Grove.Records;

/// <summary>
/// Reads bulk-load files as rows: NDJSON (one JSON object per line, keys are field names) or CSV (RFC 4180, a header
/// line of field names, empty cells are null). Lines are bounded; errors name the line.
/// </summary>
public static class RecordStreams
{
    /// <summary>The longest line accepted.</summary>
    public const int MaxLineChars = 1 << 20;

    /// <summary>Rows of an NDJSON stream (blank lines skipped).</summary>
    public static async IAsyncEnumerable<IReadOnlyDictionary<string, object?>> ReadNdjsonAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var n = 0;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            n++;
            if (line.Length > MaxLineChars)
            {
                throw RecordsException.Argument($"line {n} is longer than {MaxLineChars} characters");
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            Dictionary<string, object?> row;
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw RecordsException.Argument($"line {n} is not a JSON object");
                }

                row = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal);
            }
            catch (JsonException e)
            {
                throw RecordsException.Argument($"line {n} is not JSON: {e.Message}");
            }

            yield return row;
        }
    }

    /// <summary>Rows of a CSV stream whose first line names the fields.</summary>
    public static async IAsyncEnumerable<IReadOnlyDictionary<string, object?>> ReadCsvAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var n = 0;
        string[]? header = null;
        while (await ReadRecordAsync(reader, () => n++, ct) is { } cells)
        {
            if (header is null)
            {
                header = cells.Select(c => c.Trim()).ToArray();
                continue;
            }

            if (cells.Count == 1 && cells[0].Length == 0)
            {
                continue;
            }

            if (cells.Count != header.Length)
            {
                throw RecordsException.Argument($"CSV record ending on line {n} has {cells.Count} cells; the header has {header.Length}");
            }

            var row = new Dictionary<string, object?>(header.Length, StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                row[header[i]] = cells[i].Length == 0 ? null : cells[i];
            }

            yield return row;
        }
    }

    private static async Task<List<string>?> ReadRecordAsync(StreamReader reader, Action countLine, CancellationToken ct)
    {
        var line = await reader.ReadLineAsync(ct);
        if (line is null)
        {
            return null;
        }

        countLine();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        var i = 0;
        while (true)
        {
            if (i >= line.Length)
            {
                if (!quoted)
                {
                    break;
                }

                // Note that a quoted cell may hold line breaks: the record goes on on the next line.
                line = await reader.ReadLineAsync(ct) ?? throw RecordsException.Argument("the CSV ends inside a quoted cell");
                countLine();
                cell.Append('\n');
                i = 0;
                if (cell.Length > MaxLineChars)
                {
                    throw RecordsException.Argument($"a CSV cell is longer than {MaxLineChars} characters");
                }

                continue;
            }

            var c = line[i++];
            if (quoted)
            {
                if (c == '"' && i < line.Length && line[i] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"' && cell.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}
