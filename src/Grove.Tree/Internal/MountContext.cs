namespace Grove.Tree.Internal;

/// <summary>
/// An index and a bucket serving part of the tree. The main context holds the root; a mount with its own index type
/// is a foreign context whose objects carry two-part ids <c>HomeID:ReferID</c>.
/// </summary>
internal sealed class MountContext(string homeId, IIndexer indexer, IBucket bucket, MountSpec? spec)
{
    public string HomeId { get; } = homeId;

    public IIndexer Indexer { get; } = indexer;

    public IBucket Bucket { get; } = bucket;

    public MountSpec? Spec { get; } = spec;

    /// <summary>True when the index's rows are real files (ids are paths, content at the path, no reference counts).</summary>
    public bool PathAddressed { get; } = indexer.Capabilities.HasFlag(IndexerCapabilities.PathAddressed);

    /// <summary>True when this context has its own index (ids are two-part).</summary>
    public bool Foreign => HomeId.Length > 0;

    /// <summary>The id of a row in this context's index for a public id.</summary>
    public string LocalId(string publicId)
    {
        if (!Foreign)
        {
            return publicId;
        }

        return publicId == HomeId ? "" : publicId[(HomeId.Length + 1)..];
    }

    /// <summary>The public id of a row of this context's index.</summary>
    public string PublicId(string localId) => !Foreign ? localId : localId.Length == 0 ? HomeId : HomeId + ":" + localId;

    /// <summary>A row as the service shows it: public ids and its path.</summary>
    public TreeObject ToPublic(TreeObject row, string path) => !Foreign
        ? row with { Path = path }
        : row with { Id = PublicId(row.Id), ParentId = PublicId(row.ParentId), Path = path };

    /// <summary>A public object as this context's index stores it.</summary>
    public TreeObject ToLocal(TreeObject obj) => !Foreign
        ? obj with { Path = null }
        : obj with { Id = LocalId(obj.Id), ParentId = LocalId(obj.ParentId), Path = null };
}
