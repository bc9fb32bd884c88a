using System.Text.Json;
using Grove.Client.Internal;

namespace Grove.Client;

/// <summary>A group of users.</summary>
/// <param name="Name">The group name.</param>
/// <param name="Members">The user names in it.</param>
public sealed record GroveGroup(string Name, IReadOnlyList<string> Members)
{
    internal static GroveGroup FromJson(JsonElement e) => new(Wire.Str(e, "name"), Wire.Strings(e, "members"));
}
