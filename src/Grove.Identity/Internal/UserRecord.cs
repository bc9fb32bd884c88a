using Grove.Tree;

namespace Grove.Identity.Internal;

/// <summary>A user object read from <c>/sys/users</c>, with its password hash (never leaves the library).</summary>
internal sealed record UserRecord(string Id, string Name, string? PasswordHash, IReadOnlyList<string> Groups, bool IsAdmin, long Created)
{
    public static UserRecord From(TreeObject o) => new(
        o.Id,
        o.Name,
        Meta.String(o.Meta, Meta.Password),
        Meta.Strings(o.Meta, Meta.Groups),
        Meta.Bool(o.Meta, Meta.Admin),
        o.Created);

    public UserInfo ToInfo() => new(Name, Groups, IsAdmin, Created);

    public Principal ToPrincipal() => new(Name, Groups, IsAdmin);

    /// <summary>Prints the record without the password hash.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Id = {Id}, Name = {Name}, Groups = [{string.Join(", ", Groups)}], IsAdmin = {IsAdmin}, Created = {Created}");
        return true;
    }
}
