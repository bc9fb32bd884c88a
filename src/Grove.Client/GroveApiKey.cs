using System.Text.Json;
using Grove.Client.Internal;

namespace Grove.Client;

/// <summary>An API key as listed (without its secret).</summary>
/// <param name="Id">The key's id, for <see cref="GroveClientUsers.DeleteApiKeyAsync"/>.</param>
/// <param name="Name">Its name, e.g. <c>ci</c>.</param>
/// <param name="User">The user it acts as.</param>
/// <param name="Created">When it was created.</param>
/// <param name="ExpiresAt">When it stops working, or null for never.</param>
public sealed record GroveApiKey(string Id, string Name, string User, DateTimeOffset Created, DateTimeOffset? ExpiresAt)
{
    internal static GroveApiKey FromJson(JsonElement e) =>
        new(Wire.Str(e, "id"), Wire.Str(e, "name"), Wire.Str(e, "user"), Wire.Time(e, "created"), Wire.OptTime(e, "expiresAt"));
}
