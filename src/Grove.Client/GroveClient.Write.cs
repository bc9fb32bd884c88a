using System.Text.Json;
using Grove.Client.Internal;

namespace Grove.Client;

public sealed partial class GroveClient
{
    /// <summary>
    /// Creates a directory. With <paramref name="parents"/> (the default) missing parents are made too and an existing
    /// directory is returned as is; without, the parent must exist and the directory must not (<c>already_exists</c>).
    /// </summary>
    public Task<GroveObject> MkdirAsync(string path, bool parents = true, CancellationToken ct = default) =>
        SendJsonAsync(Request(HttpMethod.Post, "dirs/" + TreeRoute.Encode(path) + (parents ? "" : "?parents=false")), GroveObject.FromJson, ct);

    /// <summary>
    /// Sets and removes metadata keys in one change. Values may be <see cref="JsonElement"/>s or any serializable
    /// value; settable built-ins are <c>tp mime lbls g md expi ln</c> (<c>g</c>, <c>md</c> by the owner or an admin).
    /// </summary>
    public Task<GroveObject> SetMetaAsync(string path, IReadOnlyDictionary<string, object?>? set, IEnumerable<string>? unset = null, CancellationToken ct = default)
    {
        var body = JsonBody.Create(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("set");
            foreach (var (key, value) in set ?? new Dictionary<string, object?>())
            {
                w.WritePropertyName(key);
                JsonBody.WriteValue(w, value, stringIsJson: false);
            }

            w.WriteEndObject();
            w.WriteStartArray("unset");
            foreach (var key in unset ?? [])
            {
                w.WriteStringValue(key);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
        return SendJsonAsync(Request(HttpMethod.Patch, "meta/" + TreeRoute.Encode(path), body), GroveObject.FromJson, ct);
    }

    /// <summary>Moves or renames an object to exactly <paramref name="to"/>, which must not exist; a directory moves with its subtree.</summary>
    public Task<GroveObject> MoveAsync(string from, string to, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var body = JsonBody.Create(w =>
        {
            w.WriteStartObject();
            w.WriteString("from", from);
            w.WriteString("to", to);
            w.WriteEndObject();
        });
        return SendJsonAsync(Request(HttpMethod.Post, "move", body), GroveObject.FromJson, ct);
    }

    /// <summary>Deletes an object; a directory with children needs <paramref name="recursive"/> (else <c>not_empty</c>).</summary>
    public Task DeleteAsync(string path, bool recursive = false, CancellationToken ct = default) =>
        SendEmptyAsync(Request(HttpMethod.Delete, "objects/" + TreeRoute.Encode(path) + (recursive ? "?recursive=true" : "")), ct);
}
