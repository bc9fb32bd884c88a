using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Grove.Logs;

namespace Grove.Server.Tests.Logs;

/// <summary>Calls of the task-log routes as a client makes them, and the lines the tests send.</summary>
internal static class LogApi
{
    public const long T0 = 1_767_225_600_000;

    public static LogLine Line(long n) => new(n, T0 + n, $"line {n}");

    public static List<LogLine> Lines(long first, int count) => [.. Enumerable.Range(0, count).Select(i => Line(first + i))];

    public static async Task<string> CreateTaskAsync(this HttpClient client, string name = "build", params string[] labels)
    {
        var body = JsonSerializer.Serialize(new { name, labels });
        var task = await (await client.PostAsync("/api/v1/logs", ApiAssertions.Json(body))).JsonAsync(HttpStatusCode.Created);
        return task.Str("id");
    }

    public static ByteArrayContent Batch(IReadOnlyList<LogLine> lines, bool compress = true) => Raw(LogBatchCodec.Encode(lines, compress));

    public static ByteArrayContent Raw(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(LogBatchCodec.ContentType);
        return content;
    }

    public static Task<HttpResponseMessage> AppendAsync(this HttpClient client, string id, IReadOnlyList<LogLine> lines) =>
        client.PostAsync($"/api/v1/logs/{id}/lines", Batch(lines));

    /// <summary>Appends and asserts success; returns the answer's <c>next</c>.</summary>
    public static async Task<long> AppendOkAsync(this HttpClient client, string id, IReadOnlyList<LogLine> lines)
    {
        var answer = await (await client.AppendAsync(id, lines)).JsonAsync();
        return answer.GetProperty("next").GetInt64();
    }

    public static async Task<JsonElement> FinishAsync(this HttpClient client, string id, string status = "succeeded", int? exitCode = 0) =>
        await (await client.PostAsync($"/api/v1/logs/{id}/finish", ApiAssertions.Json(JsonSerializer.Serialize(new { status, exitCode })))).JsonAsync();

    public static async Task<JsonElement> PageAsync(this HttpClient client, string id, string query = "") =>
        await (await client.GetAsync($"/api/v1/logs/{id}/lines{query}")).JsonAsync();

    public static List<(long N, long T, string Text)> LinesOf(JsonElement page) =>
        [.. page.GetProperty("lines").EnumerateArray().Select(l => (l.GetProperty("n").GetInt64(), l.GetProperty("t").GetInt64(), l.Str("text")))];

    /// <summary>Creates a task with <paramref name="count"/> lines through the engine (fast) and returns its id.</summary>
    public static async Task<string> SeedAsync(RunningServer server, int count, string name = "seeded")
    {
        var logs = server.Server.Logs;
        var task = await logs.CreateAsync(name, new LogCreateOptions { Owner = "admin" });
        for (var first = 0; first < count; first += 10_000)
        {
            await logs.AppendAsync(task.Id, Lines(first, Math.Min(10_000, count - first)));
        }

        return task.Id;
    }
}
