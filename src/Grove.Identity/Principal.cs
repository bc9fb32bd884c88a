namespace Grove.Identity;

/// <summary>Who is acting: a user with their groups and admin flag. Equal when name, groups (in order) and flag are.</summary>
/// <param name="User">The user name.</param>
/// <param name="Groups">The groups the user belongs to.</param>
/// <param name="IsAdmin">Admins pass every permission check.</param>
public sealed record Principal(string User, IReadOnlyList<string> Groups, bool IsAdmin)
{
    /// <summary>The name of <see cref="System"/>; not a valid user name, so no user can be mistaken for it.</summary>
    public const string SystemName = "@system";

    /// <summary>The internal full-power actor (start-up work, maintenance); never the result of authentication.</summary>
    public static Principal System { get; } = new(SystemName, [], true);

    /// <inheritdoc/>
    public bool Equals(Principal? other) =>
        other is not null && User == other.User && IsAdmin == other.IsAdmin && Groups.SequenceEqual(other.Groups, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(User, StringComparer.Ordinal);
        hash.Add(IsAdmin);
        foreach (var g in Groups)
        {
            hash.Add(g, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>Prints the principal with its groups spelled out.</summary>
    private bool PrintMembers(global::System.Text.StringBuilder builder)
    {
        builder.Append($"User = {User}, Groups = [{string.Join(", ", Groups)}], IsAdmin = {IsAdmin}");
        return true;
    }
}
