namespace Grove.Tree.Internal;

/// <summary>An object found by path or id, with the mount context whose index holds it and the bucket its new content goes to.</summary>
/// <param name="Object">The object in public form (public ids, path set).</param>
/// <param name="Context">The mount context whose index holds the row.</param>
/// <param name="Bucket">Where new content below or at this object is written.</param>
internal sealed record Located(TreeObject Object, MountContext Context, IBucket Bucket)
{
    public string Path => Object.Path!;

    /// <summary>True when an engine may change the row outside the tree (<see cref="Storage.IIndexProvider.ChildrenChangeOutside"/>): never cached.</summary>
    public bool Uncached { get; init; }
}
