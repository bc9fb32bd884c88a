namespace Grove.Bench;

/// <summary>The peer of the tree suite: a plain table holding the same rows.</summary>
internal interface IPeerTable : IAsyncDisposable
{
    void Insert(int i);

    void Stat(int i);

    /// <summary>Reads the page after <paramref name="after"/>; returns the last name or null at the end.</summary>
    string? Page(string? after);

    void IndexMeta();

    void Query(int k);
}
