using Grove.Client.Internal;

namespace Grove.Client;

public sealed partial class GroveClient
{
    /// <summary>Mounts an expression (<c>mem</c>, <c>lbm(Name)</c>, <c>mem://lbm(Name)</c>, <c>file:///abs</c>, <c>pgbm(Name)</c>) on an empty directory (admin only).</summary>
    public Task<GroveObject> MountAsync(string path, string expression, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var body = JsonBody.Create(w =>
        {
            w.WriteStartObject();
            w.WriteString("mount", expression);
            w.WriteEndObject();
        });
        return SendJsonAsync(Request(HttpMethod.Put, "mounts/" + TreeRoute.Encode(path), body), GroveObject.FromJson, ct);
    }

    /// <summary>Removes a directory's mount (admin only).</summary>
    public Task<GroveObject> UnmountAsync(string path, CancellationToken ct = default) =>
        SendJsonAsync(Request(HttpMethod.Delete, "mounts/" + TreeRoute.Encode(path)), GroveObject.FromJson, ct);

    /// <summary>Checks content against metadata (admin only); <paramref name="repair"/> fixes reference counts, <paramref name="keepOrphans"/> leaves unreferenced blobs.</summary>
    public Task<GroveFsckReport> FsckAsync(bool repair = false, bool keepOrphans = false, CancellationToken ct = default) =>
        SendJsonAsync(Request(HttpMethod.Post, "admin/fsck" + Query(("repair", repair ? "true" : null), ("keepOrphans", keepOrphans ? "true" : null))), GroveFsckReport.FromJson, ct);

    /// <summary>Removes objects past their expiry (admin only); returns how many.</summary>
    public Task<long> SweepAsync(CancellationToken ct = default) =>
        SendJsonAsync(Request(HttpMethod.Post, "admin/sweep"), e => Wire.Long(e, "removed"), ct);
}
