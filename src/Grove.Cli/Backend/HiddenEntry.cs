using Grove.Tree;

namespace Grove.Cli;

/// <summary>A listing entry the caller may not read: only its name and kind are known (an empty id marks it).</summary>
internal static class HiddenEntry
{
    public static TreeObject Of(string name, bool isDir) =>
        new() { Id = "", ParentId = "", Name = name, Race = isDir ? ObjectRace.Dir : ObjectRace.File };

    public static bool Is(TreeObject o) => o.Id.Length == 0 && o.Name.Length > 0;
}
