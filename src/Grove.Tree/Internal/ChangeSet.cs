namespace Grove.Tree.Internal;

/// <summary>
/// Everything one tree operation changes in an index, applied atomically by <see cref="IIndexer.CommitAsync"/>:
/// object rows and blob reference counts move together, so a crash never leaves a count that disagrees with the rows.
/// </summary>
internal sealed class ChangeSet
{
    public List<TreeObject> Inserts { get; } = [];

    /// <summary>Rows replaced whole; each applies only if the stored version is still <c>Expected</c>.</summary>
    public List<(TreeObject Row, long Expected)> Updates { get; } = [];

    /// <summary>Rows deleted; each applies only if the stored version is still <c>Expected</c>.</summary>
    public List<(string Id, long Expected)> Deletes { get; } = [];

    /// <summary>Reference-count changes of content-addressed blobs.</summary>
    public List<RefDelta> Refs { get; } = [];

    /// <summary>
    /// The change moves or removes a directory or changes a mount, so other nodes must drop every cached path, not
    /// just the rows named here.
    /// </summary>
    public bool Structural { get; set; }

    /// <summary>Provider-specific work run inside the same transaction (maintenance statements).</summary>
    public object? Custom { get; init; }

    public bool IsEmpty => Inserts.Count == 0 && Updates.Count == 0 && Deletes.Count == 0 && Refs.Count == 0 && Custom is null;

    public ChangeSet Insert(TreeObject o)
    {
        Inserts.Add(o);
        return this;
    }

    public ChangeSet Update(TreeObject o, long expected)
    {
        Updates.Add((o, expected));
        return this;
    }

    public ChangeSet Delete(string id, long expected)
    {
        Deletes.Add((id, expected));
        return this;
    }

    public ChangeSet Ref(string bucket, string sha256, long length, int delta)
    {
        Refs.Add(new RefDelta(bucket, sha256, length, delta));
        return this;
    }
}

/// <summary>A change of one blob's reference count.</summary>
internal readonly record struct RefDelta(string Bucket, string Sha256, long Length, int Delta);

/// <summary>A blob's row in the reference table. <c>ZeroSince</c> is set when the count fell to zero.</summary>
internal sealed record BlobRow(string Bucket, string Sha256, long Length, long Refs, long? ZeroSince);
