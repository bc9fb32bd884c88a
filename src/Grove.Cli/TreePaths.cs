using Grove.Tree;

namespace Grove.Cli;

/// <summary>Tree paths and ids as typed on the command line.</summary>
internal static class TreePaths
{
    /// <summary>
    /// The tree path of an argument: absolute as typed, or relative to the root (<c>docs/a</c> is <c>/docs/a</c>).
    /// The tree itself rejects <c>..</c> and bad names (<c>invalid_path</c>).
    /// </summary>
    public static string Of(string argument) =>
        argument.StartsWith('/') ? argument : "/" + argument;

    /// <summary>True when the argument has the shape of an object id: 26 of <c>[0-9a-v]</c>, or <c>home:refer</c>.</summary>
    public static bool IsId(string argument)
    {
        if (ObjectIds.IsPlain(argument))
        {
            return true;
        }

        return !argument.StartsWith('/')
            && ObjectIds.TrySplit(argument, out var home, out var refer)
            && ObjectIds.IsPlain(home)
            && refer.Length > 0;
    }

    /// <summary>The last name of a path (empty for the root).</summary>
    public static string NameOf(string path) => TreeNames.Split(path) is { Count: > 0 } names ? names[^1] : "";
}
