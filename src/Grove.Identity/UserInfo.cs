namespace Grove.Identity;

/// <summary>A user as shown to callers (never with the password hash).</summary>
/// <param name="Name">The user name.</param>
/// <param name="Groups">The groups the user belongs to.</param>
/// <param name="IsAdmin">Whether the user is an admin.</param>
/// <param name="Created">Created, ms since the Unix epoch.</param>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups, bool IsAdmin, long Created);
