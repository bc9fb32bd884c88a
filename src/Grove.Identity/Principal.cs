namespace Grove.Identity;

/// <summary>Who is acting: a user with their groups and admin flag.</summary>
/// <param name="User">The user name.</param>
/// <param name="Groups">The groups the user belongs to.</param>
/// <param name="IsAdmin">Admins pass every permission check.</param>
public sealed record Principal(string User, IReadOnlyList<string> Groups, bool IsAdmin)
{
    /// <summary>The name of <see cref="System"/>; not a valid user name, so no user can be mistaken for it.</summary>
    public const string SystemName = "@system";

    /// <summary>The internal full-power actor (start-up work, maintenance); never the result of authentication.</summary>
    public static Principal System { get; } = new(SystemName, ["admin"], true);
}
