using System.Text.Json;
using Grove.Client.Internal;

namespace Grove.Client;

/// <summary>A hook (admins manage them; docs/watch-hooks-queues.md).</summary>
/// <param name="Id">Its id.</param>
/// <param name="Path">The directory whose changes fire it.</param>
/// <param name="On">The change kinds that fire it.</param>
/// <param name="Url">The webhook's URL, or null.</param>
/// <param name="Queue">The queue it pushes into, or null.</param>
/// <param name="Revision">The last revision it delivered or passed.</param>
/// <param name="Failures">Failed attempts in a row.</param>
/// <param name="LastError">The last delivery error, or null.</param>
/// <param name="Secret">The HMAC-SHA256 signing secret (only in the answer of an add).</param>
public sealed record GroveHook(string Id, string Path, IReadOnlyList<string> On, string? Url, string? Queue, long Revision, int Failures, string? LastError, string? Secret)
{
    internal static GroveHook FromJson(JsonElement e) => new(Wire.Str(e, "id"), Wire.Str(e, "path"), Wire.Strings(e, "on"), Wire.OptStr(e, "url"),
        Wire.OptStr(e, "queue"), Wire.Long(e, "revision"), (int)Wire.Long(e, "failures"), Wire.OptStr(e, "lastError"), Wire.OptStr(e, "secret"));
}

/// <summary>Hooks through a <see cref="GroveClient"/>.</summary>
public static class GroveClientHooks
{
    extension(GroveClient client)
    {
        /// <summary>Adds a hook on <paramref name="path"/> for the kinds in <paramref name="on"/>: a webhook (<paramref name="url"/>) or a queue push (<paramref name="queue"/>).</summary>
        public Task<GroveHook> AddHookAsync(string path, IReadOnlyList<string> on, string? url = null, string? queue = null, CancellationToken ct = default)
        {
            ArgumentNullException.ThrowIfNull(on);
            var body = JsonBody.Create(w =>
            {
                w.WriteStartObject();
                w.WriteString("path", path);
                w.WriteStartArray("on");
                foreach (var k in on)
                {
                    w.WriteStringValue(k);
                }

                w.WriteEndArray();
                w.WriteString("url", url);
                w.WriteString("queue", queue);
                w.WriteEndObject();
            });
            return client.SendJsonAsync(client.Request(HttpMethod.Post, "hooks", body), GroveHook.FromJson, ct);
        }

        /// <summary>Every hook with its last error.</summary>
        public Task<IReadOnlyList<GroveHook>> ListHooksAsync(CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Get, "hooks"),
                e => e.TryGetProperty("items", out var items) ? Wire.List(items, GroveHook.FromJson) : (IReadOnlyList<GroveHook>)[], ct);

        /// <summary>Removes a hook.</summary>
        public Task RemoveHookAsync(string id, CancellationToken ct = default) =>
            client.SendEmptyAsync(client.Request(HttpMethod.Delete, "hooks/" + Uri.EscapeDataString(id)), ct);

        /// <summary>Sends a test event now; returns the delivery error, or null when it was delivered.</summary>
        public Task<string?> TestHookAsync(string id, CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Post, "hooks/" + Uri.EscapeDataString(id) + "/test"), e => Wire.OptStr(e, "error"), ct);
    }
}
