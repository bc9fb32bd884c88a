using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Grove.Server.Tests.Chaos;

/// <summary>
/// Standing check (issue 12): writers of every kind against a real server process, <c>kill -9</c> at a random point,
/// restart, verify (acknowledged writes byte-exact, nothing unacknowledged half-visible, fsck clean), for N rounds.
/// CI runs a few rounds; <c>bench/crash-loop.sh ROUNDS [SEED]</c> runs many (GROVE_CRASH_ROUNDS, GROVE_CRASH_SEED).
/// </summary>
public sealed class CrashLoopTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Kill9AtRandomPoints_AcknowledgedWritesSurviveByteExact_NothingHalfVisible_FsckClean()
    {
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("GROVE_CRASH_ROUNDS"), CultureInfo.InvariantCulture, out var r) ? r : 3;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("GROVE_CRASH_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next();
        output.WriteLine($"crash loop: {rounds} rounds, seed {seed} (GROVE_CRASH_SEED={seed} reproduces the kill points)");
        Console.WriteLine($"crash loop: {rounds} rounds, seed {seed}");
        var data = _folder.Dir("data");
        var model = new CrashModel();
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        for (var round = 1; round <= rounds; round++)
        {
            await using var server = await ServerProcess.StartAsync(data);
            using var http = await SignInAsync(server);
            if (round == 1)
            {
                await ArrangeAsync(http);
            }
            else
            {
                var found = await new CrashVerifier(http, model).VerifyAsync();
                found.ShouldBeEmpty($"seed {seed}, after the kill of round {round - 1}:\n{string.Join('\n', found)}\nserver output:\n{server.Output}");
            }

            using var stop = new CancellationTokenSource();
            var writers = new CrashWriters(http, model, seed, round).RunAsync(stop.Token);
            var killAfter = TimeSpan.FromMilliseconds(random.Next(300, 1500));
            await Task.WhenAny(writers, Task.Delay(killAfter));
            await server.KillAsync();
            var failures = await writers;
            failures.ShouldBeEmpty($"seed {seed}, round {round}: writers were refused:\n{string.Join('\n', failures)}\nserver output:\n{server.Output}");
            output.WriteLine($"round {round}: killed after {killAfter.TotalMilliseconds:0} ms");
        }

        await using (var last = await ServerProcess.StartAsync(data))
        {
            using var http = await SignInAsync(last);
            var found = await new CrashVerifier(http, model).VerifyAsync();
            found.ShouldBeEmpty($"seed {seed}, after the last kill:\n{string.Join('\n', found)}\nserver output:\n{last.Output}");
        }

        var acked = string.Join(", ", model.Acked.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Value} {kv.Key}"));
        output.WriteLine($"{rounds} rounds in {clock.Elapsed.TotalSeconds:0.0} s; acknowledged and verified: {acked}");
        Console.WriteLine($"crash loop: {rounds} rounds in {clock.Elapsed.TotalSeconds:0.0} s, seed {seed}; acknowledged and verified: {acked}");
        model.Acked.Keys.ShouldContain("upload");
    }

    /// <summary>The record set and the queue the writers use.</summary>
    private static async Task ArrangeAsync(HttpClient http)
    {
        using var set = await http.PutAsJsonAsync($"/api/v1/records/{CrashWriters.RecordSet}", new
        {
            tableName = "t_crash",
            fields = new object[] { new { name = "id", type = "String" }, new { name = "v", type = "Integer" } },
            pks = new[] { "id" },
        });
        set.IsSuccessStatusCode.ShouldBeTrue(await set.Content.ReadAsStringAsync());
        using var mount = await http.PutAsJsonAsync("/api/v1/mounts" + CrashWriters.Queue, new { mount = "mq" });
        mount.IsSuccessStatusCode.ShouldBeTrue(await mount.Content.ReadAsStringAsync());
    }

    private static async Task<HttpClient> SignInAsync(ServerProcess server)
    {
        var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(60) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var ready = await http.GetAsync("/readyz");
            if (ready.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the server did not become ready: " + await ready.Content.ReadAsStringAsync());
            }

            await Task.Delay(20);
        }

        using var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { user = "admin", password = RunningServer.AdminPassword });
        login.EnsureSuccessStatusCode();
        var token = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
