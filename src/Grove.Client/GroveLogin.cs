using System.Text.Json;
using Grove.Client.Internal;

namespace Grove.Client;

/// <summary>A successful login: the bearer token and when it expires.</summary>
/// <param name="Token">The bearer token; keep it secret.</param>
/// <param name="ExpiresAt">When the token stops working.</param>
/// <param name="User">The user signed in.</param>
public sealed record GroveLogin(string Token, DateTimeOffset ExpiresAt, string User)
{
    internal static GroveLogin FromJson(JsonElement e) => new(Wire.Str(e, "token"), Wire.Time(e, "expiresAt"), Wire.Str(e, "user"));
}
