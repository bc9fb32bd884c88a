using System.Text.Json;
using Grove.Client.Internal;

namespace Grove.Client;

/// <summary>A user account (never with its password).</summary>
/// <param name="Name">The user name.</param>
/// <param name="Groups">The groups the user belongs to.</param>
/// <param name="IsAdmin">Whether the user is an admin.</param>
/// <param name="Created">When the account was created.</param>
public sealed record GroveUser(string Name, IReadOnlyList<string> Groups, bool IsAdmin, DateTimeOffset Created)
{
    internal static GroveUser FromJson(JsonElement e) =>
        new(Wire.Str(e, "name"), Wire.Strings(e, "groups"), Wire.Bool(e, "isAdmin"), Wire.Time(e, "created"));
}
