using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace Grove.Server.Tests.Chaos;

/// <summary>
/// After a restart: every key holds one of the values the model allows (acknowledged writes byte-exact, a write in
/// flight either whole or not at all), all-or-nothing calls are, moves left the file in exactly one place, and fsck
/// finds the store consistent. Each key is then settled to what was found.
/// </summary>
internal sealed class CrashVerifier(HttpClient http, CrashModel model)
{
    private readonly List<string> _failures = [];
    private readonly Dictionary<string, string> _found = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<string>> VerifyAsync()
    {
        foreach (var key in model.Keys("file:"))
        {
            using var response = await http.GetAsync("/api/v1/files" + key[5..]);
            Check(key, response.StatusCode == HttpStatusCode.NotFound ? CrashModel.Absent
                : Ok(response, key) ? Convert.ToHexStringLower(SHA256.HashData(await response.Content.ReadAsByteArrayAsync())) : "error");
        }

        foreach (var key in model.Keys("config:"))
        {
            using var response = await http.GetAsync("/api/v1/config/items/" + key[7..]);
            Check(key, response.StatusCode == HttpStatusCode.NotFound ? CrashModel.Absent
                : Ok(response, key) ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("content").GetString()! : "error");
        }

        foreach (var key in model.Keys("row:"))
        {
            using var response = await http.GetAsync($"/api/v1/records/{CrashWriters.RecordSet}/rows/{key[4..]}");
            Check(key, response.StatusCode == HttpStatusCode.NotFound ? CrashModel.Absent
                : Ok(response, key) ? Row(await response.Content.ReadAsStringAsync()) : "error");
        }

        await VerifyQueueAsync();
        foreach (var key in model.Keys("log:"))
        {
            await VerifyLogAsync(key[4..]);
        }

        foreach (var (what, writes) in model.Atomic)
        {
            var applied = writes.Count(w => _found.GetValueOrDefault(w.Key) == w.Value);
            if (applied != 0 && applied != writes.Length)
            {
                _failures.Add($"{what} is half applied: {applied} of {writes.Length} entries");
            }
        }

        foreach (var (from, to) in model.Moves.Keys)
        {
            var present = (_found.GetValueOrDefault(from) != CrashModel.Absent ? 1 : 0) + (_found.GetValueOrDefault(to) != CrashModel.Absent ? 1 : 0);
            if (present != 1)
            {
                _failures.Add($"move {from} → {to} in flight left the file in {present} places");
            }
        }

        using (var fsck = await http.PostAsync("/api/v1/admin/fsck", null))
        {
            var text = await fsck.Content.ReadAsStringAsync();
            if (!fsck.IsSuccessStatusCode || !JsonDocument.Parse(text).RootElement.GetProperty("consistent").GetBoolean())
            {
                _failures.Add("fsck: " + text);
            }
        }

        foreach (var (key, value) in _found)
        {
            model.Settle(key, value);
        }

        model.ClearInFlight();
        return _failures;
    }

    private static string Row(string json)
    {
        var root = JsonDocument.Parse(json).RootElement;
        var row = root.TryGetProperty("row", out var inner) ? inner : root;
        return row.GetProperty("v").GetInt64().ToString(CultureInfo.InvariantCulture);
    }

    private async Task VerifyQueueAsync()
    {
        using var response = await http.GetAsync($"/api/v1/mq/ls{CrashWriters.Queue}?limit=10000");
        if (!Ok(response, "queue"))
        {
            return;
        }

        var listed = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("items").EnumerateArray()
            .Select(i => Path.GetFileName(i.GetProperty("path").GetString()!)).ToHashSet(StringComparer.Ordinal);
        foreach (var key in model.Keys("mq:"))
        {
            var name = key[3..];
            if (!listed.Contains(name))
            {
                Check(key, CrashModel.Absent);
                continue;
            }

            using var content = await http.GetAsync($"/api/v1/files{CrashWriters.Queue}/{name}");
            Check(key, Ok(content, key) ? Convert.ToHexStringLower(SHA256.HashData(await content.Content.ReadAsByteArrayAsync())) : "error");
        }
    }

    private async Task VerifyLogAsync(string id)
    {
        var key = "log:" + id;
        using var response = await http.GetAsync($"/api/v1/logs/{id}/lines?limit=10000");
        if (!Ok(response, key))
        {
            return;
        }

        var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var lines = page.GetProperty("lines").EnumerateArray().ToList();
        for (var n = 0; n < lines.Count; n++)
        {
            if (lines[n].GetProperty("n").GetInt64() != n || lines[n].GetProperty("text").GetString() != CrashWriters.LineText(id, n))
            {
                _failures.Add($"{key}: line {n} is {lines[n]}");
                return;
            }
        }

        Check(key, lines.Count.ToString(CultureInfo.InvariantCulture));
        using var task = await http.GetAsync($"/api/v1/logs/{id}");
        if (Ok(task, key))
        {
            var status = JsonDocument.Parse(await task.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString();
            Check("logfin:" + id, status == "running" ? "running" : "finished");
        }
    }

    private bool Ok(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode)
        {
            return true;
        }

        _failures.Add($"{what}: reading answered {(int)response.StatusCode}");
        return false;
    }

    private void Check(string key, string found)
    {
        _found[key] = found;
        var allowed = model.Allowed(key);
        if (!allowed.Contains(found))
        {
            _failures.Add($"{key} holds {Short(found)}; allowed: {string.Join(" | ", allowed.Select(Short))}");
        }
    }

    private static string Short(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
