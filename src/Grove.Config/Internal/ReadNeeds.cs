namespace Grove.Config.Internal;

/// <summary>What a write must know of the keys' current state before it decides (less to read, faster commits).</summary>
[Flags]
internal enum ReadNeeds
{
    /// <summary>The released config's metadata and version only.</summary>
    None = 0,

    /// <summary>Also its content (for a removal's history, an MD5 compare-and-swap).</summary>
    MainBody = 1,

    /// <summary>The beta too, with its content.</summary>
    Beta = 2,

    /// <summary>Everything.</summary>
    All = MainBody | Beta,
}
