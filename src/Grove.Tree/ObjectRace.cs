namespace Grove.Tree;

/// <summary>What an object is: a directory holding children, or a file holding content.</summary>
public enum ObjectRace
{
    /// <summary>A directory; it has children and no content.</summary>
    Dir = 0,

    /// <summary>A file; it has content and no children.</summary>
    File = 1,
}
