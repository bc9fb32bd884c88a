using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Grove.Messages;

namespace Grove.Bench;

/// <summary>
/// Messages posted to a server process by wrk (a light C client, so the client does not eat the server's cores), with a
/// partner's API key (the key path a partner's system takes) and a unique source id per request.
/// </summary>
internal static partial class MessagesWrk
{
    public static bool Available => Environment.GetEnvironmentVariable("PATH")?.Split(':').Any(d => File.Exists(Path.Join(d, "wrk"))) == true;

    /// <summary>Messages per second and server CPU µs per message, for each connection count, after a warm-up.</summary>
    public static async Task<IReadOnlyList<(int Conns, double Rate, double ServerCpuUs, long Errors)>> RunAsync(string data, byte[][] bodies, int[] conns, int seconds)
    {
        var file = Path.Join(data + "-bodies.txt");
        await File.WriteAllLinesAsync(file, bodies.Select(b => System.Text.Encoding.UTF8.GetString(b)));
        await using var server = await ServerProcess.StartAsync(data);
        using var http = new HttpClient { BaseAddress = server.Address };
        using (var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { user = "admin", password = ServerProcess.Password }))
        {
            using var doc = System.Text.Json.JsonDocument.Parse(await login.EnsureSuccessStatusCode().Content.ReadAsStringAsync());
            http.DefaultRequestHeaders.Authorization = new("Bearer", doc.RootElement.GetProperty("token").GetString());
        }

        (await http.PutAsJsonAsync($"/api/v1/config/items/{MessageMapping.ConfigGroup}/b.waybill", new { content = MessagesSuite.Mapping(), type = "json" })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/api/v1/users", new { name = "b", password = "partner-password-1" })).EnsureSuccessStatusCode();
        using var partner = new HttpClient { BaseAddress = server.Address };
        using (var login = await partner.PostAsJsonAsync("/api/v1/auth/login", new { user = "b", password = "partner-password-1" }))
        {
            using var doc = System.Text.Json.JsonDocument.Parse(await login.EnsureSuccessStatusCode().Content.ReadAsStringAsync());
            partner.DefaultRequestHeaders.Authorization = new("Bearer", doc.RootElement.GetProperty("token").GetString());
        }

        string key;
        using (var k = await partner.PostAsJsonAsync("/api/v1/keys", new { name = "b-system" }))
        {
            using var doc = System.Text.Json.JsonDocument.Parse(await k.EnsureSuccessStatusCode().Content.ReadAsStringAsync());
            key = doc.RootElement.GetProperty("key").GetString()!;
        }

        var target = new Uri(server.Address, "/api/v1/messages/b/waybill?sourceId=").ToString();
        await WrkAsync(file, target, key, "warm", 16, 5);
        using var serverProcess = Process.GetProcessById(server.Pid);
        var results = new List<(int, double, double, long)>();
        foreach (var c in conns)
        {
            serverProcess.Refresh();
            var cpu = serverProcess.TotalProcessorTime;
            var (requests, elapsed, errors) = await WrkAsync(file, target, key, "c" + c.ToString(CultureInfo.InvariantCulture), c, seconds);
            serverProcess.Refresh();
            results.Add((c, requests / elapsed, (serverProcess.TotalProcessorTime - cpu).TotalMicroseconds / Math.Max(1, requests), errors));
        }

        return results;
    }

    private static async Task<(long Requests, double Seconds, long Errors)> WrkAsync(string bodies, string target, string key, string run, int conns, int seconds)
    {
        var psi = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-t1", $"-c{conns}", $"-d{seconds}s", "-s", Script(), target })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["BODIES"] = bodies;
        psi.Environment["TARGET"] = target;
        psi.Environment["RUN"] = run;
        psi.Environment["AUTH"] = "Bearer " + key;
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        var m = Summary().Match(output);
        if (!m.Success)
        {
            throw new InvalidOperationException("wrk: " + output + await p.StandardError.ReadToEndAsync());
        }

        var errors = Non2xx().Match(output) is { Success: true } e ? long.Parse(e.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var secs = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) * (m.Groups[3].Value == "m" ? 60 : 1);
        return (long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), secs, errors);
    }

    private static string Script()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var f = Path.Join(d.FullName, "bench", "http", "messages-post.lua");
            if (File.Exists(f))
            {
                return f;
            }
        }

        throw new FileNotFoundException("bench/http/messages-post.lua not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"(\d+) requests in ([\d.]+)(m|s)")]
    private static partial Regex Summary();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xx();
}
