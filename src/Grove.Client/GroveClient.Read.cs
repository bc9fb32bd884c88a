using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Grove.Client.Internal;

namespace Grove.Client;

public sealed partial class GroveClient
{
    /// <summary>An object's metadata by path; <c>not_found</c> when there is none (or <c>forbidden</c>).</summary>
    public Task<GroveObject> StatAsync(string path, CancellationToken ct = default) =>
        SendJsonAsync(Request(HttpMethod.Get, "stat/" + TreeRoute.Encode(path)), GroveObject.FromJson, ct);

    /// <summary>An object's metadata by path, or null when there is none. Other refusals still throw.</summary>
    public async Task<GroveObject?> FindAsync(string path, CancellationToken ct = default)
    {
        try
        {
            return await StatAsync(path, ct);
        }
        catch (GroveApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>An object's metadata by id (plain, or <c>HomeID:ReferID</c> inside a mount).</summary>
    public Task<GroveObject> StatByIdAsync(string id, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return SendJsonAsync(Request(HttpMethod.Get, "ids/" + Uri.EscapeDataString(id)), GroveObject.FromJson, ct);
    }

    /// <summary>One page of a directory's children in name order, after the child named <paramref name="after"/>.</summary>
    /// <param name="path">The directory.</param>
    /// <param name="after">The previous page's <see cref="GrovePage{T}.Next"/>; null for the first page.</param>
    /// <param name="limit">Children per page, 1 to 10,000; null for the server's default (1,000).</param>
    /// <param name="ct">Cancels the call.</param>
    public Task<GrovePage<GroveObject>> ListAsync(string path, string? after = null, int? limit = null, CancellationToken ct = default)
    {
        var route = "ls/" + TreeRoute.Encode(path) + Query(("after", after), ("limit", limit?.ToString(CultureInfo.InvariantCulture)));
        return SendJsonAsync(Request(HttpMethod.Get, route), ReadPage, ct);
    }

    /// <summary>Every child of a directory, fetched a page at a time as the enumeration proceeds.</summary>
    public async IAsyncEnumerable<GroveObject> ListAllAsync(string path, int? pageSize = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        string? after = null;
        do
        {
            var page = await ListAsync(path, after, pageSize, ct);
            foreach (var o in page.Items)
            {
                yield return o;
            }

            after = page.Next;
        }
        while (after is not null);
    }

    /// <summary>One page of a query.</summary>
    public Task<GrovePage<GroveObject>> QueryAsync(GroveQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var body = JsonBody.Create(w =>
        {
            w.WriteStartObject();
            if (query.Parent is not null)
            {
                w.WriteString("parent", query.Parent);
            }

            if (query.Where is not null)
            {
                w.WritePropertyName("where");
                JsonBody.WriteValue(w, query.Where, stringIsJson: true);
            }

            if (query.Sort.Count > 0)
            {
                w.WriteStartArray("sort");
                foreach (var key in query.Sort)
                {
                    w.WriteStringValue(key);
                }

                w.WriteEndArray();
            }

            if (query.Limit is { } limit)
            {
                w.WriteNumber("limit", limit);
            }

            if (query.After is not null)
            {
                w.WriteString("after", query.After);
            }

            w.WriteEndObject();
        });
        return SendJsonAsync(Request(HttpMethod.Post, "query", body), ReadPage, ct);
    }

    /// <summary>Every result of a query, fetched a page at a time (from <see cref="GroveQuery.After"/> on) as the enumeration proceeds.</summary>
    public async IAsyncEnumerable<GroveObject> QueryAllAsync(GroveQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var next = query;
        while (true)
        {
            var page = await QueryAsync(next, ct);
            foreach (var o in page.Items)
            {
                yield return o;
            }

            if (page.Next is null)
            {
                yield break;
            }

            next = next with { After = page.Next };
        }
    }

    private static GrovePage<GroveObject> ReadPage(JsonElement e) =>
        new(e.TryGetProperty("items", out var items) ? Wire.List(items, GroveObject.FromJson) : [], Wire.OptStr(e, "next"));
}
