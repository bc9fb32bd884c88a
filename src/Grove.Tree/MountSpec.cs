using System.Diagnostics.CodeAnalysis;
using Grove.Tree.Internal;

namespace Grove.Tree;

/// <summary>
/// A directory's mount expression (<c>mnt</c>), parsed: <c>$IndexType[($Setting)][://$Storage[($Setting)]]</c>.
/// Examples: <c>mem</c>, <c>dao(abc/t_news)://lbm(Abc)</c>, <c>file:///data/demo/</c>, <c>://lbm(xyz)</c>.
/// Build one with <see cref="Parse"/> or <see cref="TryParse"/>; <see cref="Text"/> is the canonical form.
/// </summary>
public sealed record MountSpec
{
    internal MountSpec(string indexType, string? indexSetting, string storageKind, string? storageSetting)
    {
        IndexType = indexType;
        IndexSetting = indexSetting;
        StorageKind = storageKind;
        StorageSetting = storageSetting;
        Text = Format(indexType, indexSetting, storageKind, storageSetting);
    }

    /// <summary>
    /// The index type, lower case with aliases resolved: <c>""</c> (the global index), or a kind of the registry
    /// (<c>mem</c>, <c>file</c>, <c>dao</c>, <c>redis</c>, <c>mq</c>…).
    /// </summary>
    public string IndexType { get; }

    /// <summary>The index setting in parentheses (<c>abc/t_news</c> in <c>dao(abc/t_news)</c>), or null.</summary>
    public string? IndexSetting { get; }

    /// <summary>
    /// The storage kind, lower case with aliases resolved: <c>""</c> (the global default bucket), <c>file</c> (of a
    /// <c>file://</c> mount), or a bucket kind of the registry (<c>lbm</c>, <c>pgbm</c>, <c>aliyunoss</c>, <c>redis</c>…).
    /// </summary>
    public string StorageKind { get; }

    /// <summary>
    /// The storage setting: the bucket name of <c>lbm(Name)</c>, the configuration name of <c>aliyunoss(name)</c>,
    /// or, for a <c>file://</c> mount, the local path exactly as written (<c>/data/demo/</c>, <c>C:/data/demo/</c>); null when absent.
    /// </summary>
    public string? StorageSetting { get; }

    /// <summary>The canonical text; <see cref="Parse"/> of it gives an equal spec.</summary>
    public string Text { get; }

    /// <summary>True for a <c>file://</c> mount: a local folder serves as both index and storage.</summary>
    public bool IsFile => IndexType == MountParser.FileKind;

    /// <summary>
    /// Parses a mount expression. The kinds it may name are those of <paramref name="registry"/> (served or refused;
    /// default <see cref="StorageRegistry.Default"/>); whether they are served is <see cref="StorageRegistry.EnsureSupported"/>'s answer.
    /// </summary>
    /// <exception cref="TreeException">With <see cref="TreeErrorCode.InvalidMount"/>, naming what is wrong.</exception>
    public static MountSpec Parse(string text, StorageRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return MountParser.TryParse(text, registry ?? StorageRegistry.Default, out var spec, out var error)
            ? spec
            : throw new TreeException(TreeErrorCode.InvalidMount, error);
    }

    /// <summary>Parses a mount expression; false (and a null <paramref name="spec"/>) when it is invalid.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out MountSpec? spec, StorageRegistry? registry = null)
    {
        if (text is not null && MountParser.TryParse(text, registry ?? StorageRegistry.Default, out var parsed, out _))
        {
            spec = parsed;
            return true;
        }

        spec = null;
        return false;
    }

    /// <summary>The canonical text, as <see cref="Text"/>.</summary>
    public override string ToString() => Text;

    private static string Format(string indexType, string? indexSetting, string storageKind, string? storageSetting)
    {
        if (indexType == MountParser.FileKind)
        {
            return "file://" + storageSetting;
        }

        var index = indexSetting is null ? indexType : $"{indexType}({indexSetting})";
        if (storageKind.Length == 0)
        {
            return index;
        }

        var storage = storageSetting is null ? storageKind : $"{storageKind}({storageSetting})";
        return $"{index}://{storage}";
    }
}
