using System.Text.Json;
using Grove.Client.Internal;

namespace Grove.Client;

/// <summary>Who the client is signed in as (<c>GET /api/v1/auth/me</c>).</summary>
/// <param name="User">The user name.</param>
/// <param name="Groups">The user's groups.</param>
/// <param name="IsAdmin">Whether the user passes every permission check.</param>
public sealed record GroveCaller(string User, IReadOnlyList<string> Groups, bool IsAdmin)
{
    internal static GroveCaller FromJson(JsonElement e) => new(Wire.Str(e, "user"), Wire.Strings(e, "groups"), Wire.Bool(e, "admin"));
}
