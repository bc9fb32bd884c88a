using Grove.Client;
using Grove.Tree;

namespace Grove.Cli.Remote;

/// <summary>The client's wire types as the kernel's, so the commands print the same whichever backend answered.</summary>
internal static class RemoteObjects
{
    public static TreeObject ToTree(GroveObject o) => new()
    {
        Id = o.Id,
        ParentId = o.ParentId,
        Name = o.Name,
        Race = o.IsDirectory ? ObjectRace.Dir : ObjectRace.File,
        Type = o.Type,
        Mime = o.Mime,
        Length = o.Length,
        Sha256 = o.Sha256,
        Mount = o.Mount,
        Link = o.Link,
        Labels = o.Labels,
        Creator = o.Creator,
        Modifier = o.Modifier,
        Group = o.Group,
        Mode = o.Mode,
        Created = o.Created.ToUnixTimeMilliseconds(),
        Modified = o.Modified.ToUnixTimeMilliseconds(),
        Expires = o.Expires?.ToUnixTimeMilliseconds(),
        Version = o.Version,
        Path = o.Path,
        Meta = o.Meta,
    };

    public static Page<TreeObject> ToTree(GrovePage<GroveObject> page) =>
        new([.. page.Items.Select(o => o.Hidden ? HiddenEntry.Of(o.Name, o.IsDirectory) : ToTree(o))], page.Next);

    public static FsckReport ToTree(GroveFsckReport r) => new()
    {
        RowsChecked = r.RowsChecked,
        BlobsChecked = r.BlobsChecked,
        OrphansRemoved = r.OrphansRemoved,
        OrphansYoung = r.OrphansYoung,
        SwapRemoved = r.SwapRemoved,
        CountsRepaired = r.CountsRepaired,
        Dangling = r.Dangling,
        CountMismatches = r.CountMismatches,
    };
}
