namespace Grove.Identity;

/// <summary>A group and its members.</summary>
/// <param name="Name">The group name.</param>
/// <param name="Members">The user names in the group, in ordinal order.</param>
public sealed record GroupInfo(string Name, IReadOnlyList<string> Members);
