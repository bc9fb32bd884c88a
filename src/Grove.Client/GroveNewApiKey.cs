using System.Text.Json;
using Grove.Client.Internal;

namespace Grove.Client;

/// <summary>A key just created: <see cref="Key"/> is shown this once; store it (e.g. as <see cref="GroveClientOptions.ApiKey"/>).</summary>
/// <param name="Id">The key's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Key">The secret to send as the bearer credential.</param>
/// <param name="ExpiresAt">When it stops working, or null for never.</param>
public sealed record GroveNewApiKey(string Id, string Name, string Key, DateTimeOffset? ExpiresAt)
{
    internal static GroveNewApiKey FromJson(JsonElement e) =>
        new(Wire.Str(e, "id"), Wire.Str(e, "name"), Wire.Str(e, "key"), Wire.OptTime(e, "expiresAt"));
}
