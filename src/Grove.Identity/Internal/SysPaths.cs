namespace Grove.Identity.Internal;

/// <summary>Where identity lives in the tree, and how those objects are stamped.</summary>
internal static class SysPaths
{
    public const string Root = "/sys";
    public const string Users = "/sys/users";
    public const string Groups = "/sys/groups";
    public const string Sessions = "/sys/sessions";
    public const string Keys = "/sys/keys";

    /// <summary>The bootstrap admin user, and the owner and group of everything under <c>/sys</c>.</summary>
    public const string Admin = "admin";

    /// <summary><c>0700</c>: only the owner (and admins, who pass every check).</summary>
    public const int Mode = 0b111_000_000;

    public static readonly IReadOnlyList<string> Dirs = [Root, Users, Groups, Sessions, Keys];

    public static string User(string name) => Users + "/" + name;

    public static string Group(string name) => Groups + "/" + name;

    public static string Session(string tokenHash) => Sessions + "/" + tokenHash;

    public static string Key(string id) => Keys + "/" + id;
}
