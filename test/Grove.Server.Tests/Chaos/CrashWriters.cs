using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Grove.Server.Tests.Chaos;

/// <summary>
/// Writers of every kind against a server: files (create, overwrite, delete, move), configs (publish, import), task
/// logs (append, finish), record rows and queue pushes. Each notes in the model what it may have changed before it
/// sends and what it has changed once acknowledged; it stops at the first failure to reach the server.
/// </summary>
internal sealed class CrashWriters(HttpClient http, CrashModel model, int seed, int round)
{
    public const string Queue = "/crashq";
    public const string RecordSet = "crash";
    private int _counter;

    /// <summary>Runs all writers until the server dies (or <paramref name="ct"/>); returns the unexpected failures.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken ct)
    {
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Func<Random, Task>[] kinds = [r => FileOpAsync(r, "/crash/a/"), r => FileOpAsync(r, "/crash/b/"), ConfigOpAsync, LogOpAsync, RowOpAsync, QueueOpAsync];
        await Task.WhenAll(kinds.Select((op, k) => Task.Run(async () =>
        {
            var random = new Random(HashCode.Combine(seed, round, k));
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await op(random);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    return; // The server died: what was in flight stays in doubt.
                }
                catch (Exception e)
                {
                    failures.Add(e.Message);
                    return;
                }
            }
        }, CancellationToken.None)));
        return [.. failures];
    }

    private string Next(string kind) => $"{kind}{round}x{Interlocked.Increment(ref _counter)}";

    /// <summary>One file operation on the files under <paramref name="folder"/> (each writer has its own).</summary>
    private async Task FileOpAsync(Random random, string folder)
    {
        var existing = model.Keys("file:" + folder).Where(k => model.Known(k) is { } v && v != CrashModel.Absent).ToList();
        var pick = random.Next(100);
        if (existing.Count == 0 || pick < 50)
        {
            await PutAsync("file:" + folder + Next("f"), random, "upload");
        }
        else if (pick < 70)
        {
            await PutAsync(existing[random.Next(existing.Count)], random, "overwrite");
        }
        else if (pick < 85)
        {
            var key = existing[random.Next(existing.Count)];
            model.Begin(key, CrashModel.Absent);
            using var response = await http.DeleteAsync("/api/v1/objects" + key[5..]);
            await ExpectAsync(response, "delete " + key);
            model.Ack("delete", key, CrashModel.Absent);
        }
        else
        {
            var from = existing[random.Next(existing.Count)];
            var to = "file:" + folder + Next("m");
            var sha = model.Known(from)!;
            model.Begin(from, CrashModel.Absent);
            model.Begin(to, sha);
            model.Moves[(from, to)] = true;
            using var response = await http.PostAsJsonAsync("/api/v1/move", new { from = from[5..], to = to[5..] });
            await ExpectAsync(response, $"move {from} → {to}");
            model.Ack("move", from, CrashModel.Absent);
            model.Moves.TryRemove((from, to), out _);
            model.Settle(to, sha);
        }
    }

    private async Task PutAsync(string key, Random random, string kind)
    {
        var bytes = new byte[random.Next(3) switch { 0 => 200, 1 => 20_000, _ => 300_000 }];
        random.NextBytes(bytes);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        model.Begin(key, sha);
        using var response = await http.PutAsync("/api/v1/files" + key[5..], new ByteArrayContent(bytes));
        await ExpectAsync(response, $"{kind} {key}");
        model.Ack(kind, key, sha);
    }

    private async Task ConfigOpAsync(Random random)
    {
        if (random.Next(100) < 70)
        {
            var key = $"config:CRASH/c{random.Next(20)}.txt";
            var content = Next("content ");
            model.Begin(key, content);
            using var response = await http.PutAsJsonAsync("/api/v1/config/items/" + key[7..], new { content });
            await ExpectAsync(response, "publish " + key);
            model.Ack("config publish", key, content);
            return;
        }

        var batch = Next("b");
        var writes = Enumerable.Range(0, 3).Select(j => ($"config:IMP/{batch}-{j}.txt", $"import {batch} {j}")).ToArray();
        foreach (var (key, value) in writes)
        {
            model.Begin(key, value);
        }

        model.Atomic["import " + batch] = writes;
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (key, value) in writes)
            {
                await using var entry = archive.CreateEntry(key[7..]).Open();
                await entry.WriteAsync(Encoding.UTF8.GetBytes(value));
            }
        }

        using var imported = await http.PostAsync("/api/v1/config/import?policy=overwrite", new ByteArrayContent(zip.ToArray()));
        await ExpectAsync(imported, "import " + batch);
        foreach (var (key, value) in writes)
        {
            model.Ack("config import entry", key, value);
        }

        model.Atomic.TryRemove("import " + batch, out _);
    }

    private async Task LogOpAsync(Random random)
    {
        using var created = await http.PostAsJsonAsync("/api/v1/logs", new { name = Next("task") });
        await ExpectAsync(created, "create task");
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var lines = "log:" + id;
        var finished = "logfin:" + id;
        model.Ack("log task", lines, "0");
        model.Settle(finished, "running");
        var batches = 1 + random.Next(6);
        for (var b = 0; b < batches; b++)
        {
            var next = b * LogBatch;
            model.Begin(lines, (next + LogBatch).ToString(System.Globalization.CultureInfo.InvariantCulture));
            var body = new { lines = Enumerable.Range(next, LogBatch).Select(n => new { n, t = 1_767_225_600_000L + n, text = LineText(id, n) }) };
            using var appended = await http.PostAsJsonAsync($"/api/v1/logs/{id}/lines", body);
            await ExpectAsync(appended, "append to " + id);
            model.Ack("log batch", lines, (next + LogBatch).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        model.Begin(finished, "finished");
        using var finish = await http.PostAsJsonAsync($"/api/v1/logs/{id}/finish", new { status = "succeeded", exitCode = 0 });
        await ExpectAsync(finish, "finish " + id);
        model.Ack("log finish", finished, "finished");
    }

    public const int LogBatch = 50;

    public static string LineText(string id, int n) => $"line {n} of {id} " + new string((char)('a' + (n % 26)), n % 40);

    private async Task RowOpAsync(Random random)
    {
        var row = Next("r");
        var key = "row:" + row;
        var v = random.Next(1_000_000);
        model.Begin(key, v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await http.PostAsJsonAsync($"/api/v1/records/{RecordSet}/rows", new { id = row, v });
        await ExpectAsync(response, "insert row " + row);
        model.Ack("record insert", key, v.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task QueueOpAsync(Random random)
    {
        var name = Next("q");
        var key = "mq:" + name;
        var bytes = new byte[random.Next(50, 5_000)];
        random.NextBytes(bytes);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        model.Begin(key, sha);
        using var response = await http.PostAsync($"/api/v1/mq/push{Queue}?name={name}", new ByteArrayContent(bytes));
        await ExpectAsync(response, "push " + name);
        model.Ack("queue push", key, sha);
    }

    private static async Task ExpectAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Whether a status says the object is not there.</summary>
    public static bool IsMissing(HttpStatusCode status) => status == HttpStatusCode.NotFound;
}
