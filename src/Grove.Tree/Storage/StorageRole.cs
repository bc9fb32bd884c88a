namespace Grove.Tree.Storage;

/// <summary>The three places a storage kind can serve.</summary>
public enum StorageRole
{
    /// <summary>A root store (<see cref="IStoreProvider"/>): <c>--store KIND…</c>.</summary>
    Store,

    /// <summary>A mount's index (<see cref="IIndexProvider"/>): the part before <c>://</c> of a mount expression.</summary>
    Index,

    /// <summary>A bucket (<see cref="IBucketProvider"/>): the part after <c>://</c>, or a bare storage-only mount.</summary>
    Bucket,
}
