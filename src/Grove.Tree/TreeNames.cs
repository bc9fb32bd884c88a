using System.Text;
using Grove.Tree.Internal;

namespace Grove.Tree;

/// <summary>
/// Rules for object names and tree paths. A path is absolute (<c>/a/b</c>), never climbs (<c>..</c>), and its canonical
/// form has no repeated slashes, no <c>.</c> segments and no trailing slash; the root is <c>/</c>.
/// </summary>
public static class TreeNames
{
    /// <summary>The longest name, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 255;

    /// <summary>The most names a path may hold (its depth below the root).</summary>
    public const int MaxDepth = 256;

    /// <summary>The longest path, in UTF-8 bytes.</summary>
    public const int MaxPathBytes = 4096;

    /// <summary>Checks an object name: not empty, <c>.</c> or <c>..</c>, no <c>/</c> or NUL, at most 255 UTF-8 bytes.</summary>
    /// <exception cref="TreeException">With <see cref="TreeErrorCode.InvalidName"/>.</exception>
    public static void ValidateName(string name)
    {
        if (NameError(name) is { } error)
        {
            throw new TreeException(TreeErrorCode.InvalidName, error);
        }
    }

    /// <summary>True when <see cref="ValidateName"/> would accept the name.</summary>
    public static bool IsValidName(string? name) => name is not null && NameError(name) is null;

    /// <summary>The canonical form of an absolute path: <c>//a/./b/</c> gives <c>/a/b</c>, <c>/</c> stays <c>/</c>.</summary>
    /// <exception cref="TreeException">
    /// With <see cref="TreeErrorCode.InvalidPath"/> when the path is empty, relative, climbs with <c>..</c>, or has an invalid segment;
    /// <see cref="TreeErrorCode.PathTooDeep"/> over <see cref="MaxDepth"/> names, <see cref="TreeErrorCode.PathTooLong"/> over
    /// <see cref="MaxPathBytes"/>.
    /// </exception>
    public static string Normalize(string path)
    {
        if (IsCanonical(path))
        {
            return CheckLimits(path);
        }

        var segments = Segments(path);
        return segments.Count == 0 ? "/" : CheckLimits("/" + string.Join('/', segments));
    }

    /// <summary>The names along a path, root first; empty for <c>/</c>. The path is normalized first.</summary>
    /// <exception cref="TreeException">With <see cref="TreeErrorCode.InvalidPath"/>, as <see cref="Normalize"/>.</exception>
    public static IReadOnlyList<string> Split(string path) => Segments(path);

    /// <summary>The path of <paramref name="name"/> inside the directory <paramref name="parent"/>.</summary>
    /// <exception cref="TreeException">
    /// With <see cref="TreeErrorCode.InvalidPath"/> for a bad parent, <see cref="TreeErrorCode.InvalidName"/> for a bad name.
    /// </exception>
    public static string Join(string parent, string name)
    {
        var dir = Normalize(parent);
        ValidateName(name);
        return CheckLimits(dir == "/" ? "/" + name : dir + "/" + name);
    }

    /// <summary>Refuses a canonical path over <see cref="MaxDepth"/> names or <see cref="MaxPathBytes"/> bytes.</summary>
    private static string CheckLimits(string canonical)
    {
        if (canonical.Length > MaxDepth * 2 && canonical.AsSpan().Count('/') is var depth && depth > MaxDepth)
        {
            throw new TreeException(TreeErrorCode.PathTooDeep, $"the path is {depth} levels deep, over the limit of {MaxDepth}");
        }

        if (canonical.Length > MaxPathBytes / 3 && Encoding.UTF8.GetByteCount(canonical) is var bytes && bytes > MaxPathBytes)
        {
            throw new TreeException(TreeErrorCode.PathTooLong, $"the path is {bytes} UTF-8 bytes, over the limit of {MaxPathBytes}");
        }

        return canonical;
    }

    /// <summary>
    /// The type of a name (<c>tp</c>): its extension in lower case without the dot (<c>Photo.JPG</c> gives <c>jpg</c>);
    /// null without one, for a trailing dot, or for a name that only starts with a dot (<c>.profile</c>).
    /// </summary>
    public static string? TypeOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var dot = name.LastIndexOf('.');
        return dot <= 0 || dot == name.Length - 1 ? null : name[(dot + 1)..].ToLowerInvariant();
    }

    /// <summary>The MIME type for a name's extension, from a built-in table; <c>application/octet-stream</c> when unknown.</summary>
    public static string MimeOf(string name) =>
        TypeOf(name) is { } type && MimeTypes.ByExtension.TryGetValue(type, out var mime) ? mime : MimeTypes.Default;

    // Note that a loop over the name's span allocates nothing (Any over a string boxes its enumerator): every write checks its name.
    private static bool HasControl(string name)
    {
        foreach (var ch in name.AsSpan())
        {
            if (char.IsControl(ch))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A quick scan for the common case of a path already in canonical form with short ASCII names.</summary>
    private static bool IsCanonical(string path)
    {
        if (path.Length == 0 || path[0] != '/')
        {
            return false;
        }

        if (path.Length == 1)
        {
            return true;
        }

        var segmentStart = 1;
        for (var i = 1; i <= path.Length; i++)
        {
            if (i < path.Length && path[i] != '/')
            {
                var c = path[i];
                if (c is < ' ' or (char)0x7F or >= (char)0x80)
                {
                    return false;
                }

                continue;
            }

            var len = i - segmentStart;
            if (len == 0 || len > MaxNameBytes || (len <= 2 && path[segmentStart] == '.' && (len == 1 || path[segmentStart + 1] == '.')))
            {
                return false;
            }

            segmentStart = i + 1;
        }

        return true;
    }

    private static List<string> Segments(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            throw BadPath("the path is empty");
        }

        if (path[0] != '/')
        {
            throw BadPath($"path '{Show(path)}' is not absolute (it must start with '/')");
        }

        if (path.Length > MaxPathBytes * 4)
        {
            throw path.AsSpan().Count('/') > MaxDepth * 4
                ? new TreeException(TreeErrorCode.PathTooDeep, $"the path has {path.AsSpan().Count('/')} slashes, over the depth limit of {MaxDepth}")
                : new TreeException(TreeErrorCode.PathTooLong, $"the path is {path.Length} characters, over the limit of {MaxPathBytes} bytes");
        }

        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                throw BadPath($"path '{Show(path)}' climbs with '..'; tree paths never do");
            }

            if (NameError(segment) is { } error)
            {
                throw new TreeException(TreeErrorCode.InvalidName, $"path '{Show(path)}' has an invalid name: {error}");
            }

            segments.Add(segment);
        }

        return segments;
    }

    private static string? NameError(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            return "the name is empty";
        }

        if (name is "." or "..")
        {
            return $"the name '{name}' is reserved";
        }

        if (name.Contains('/', StringComparison.Ordinal))
        {
            return $"the name '{Show(name)}' contains '/'";
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            return $"the name '{Show(name)}' contains NUL";
        }

        if (HasControl(name))
        {
            return $"the name '{Show(name)}' holds a control character (CR, LF, TAB …)";
        }

        if (HasLoneSurrogate(name))
        {
            return $"the name '{Show(name)}' is not valid Unicode (it holds a lone surrogate)";
        }

        if (name.Length > MaxNameBytes / 3 && Encoding.UTF8.GetByteCount(name) is var bytes && bytes > MaxNameBytes)
        {
            return $"the name '{Show(name)}' is {bytes} UTF-8 bytes, over the limit of {MaxNameBytes}";
        }

        return null;
    }

    private static bool HasLoneSurrogate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static string Show(string text)
    {
        var shown = text.Replace("\0", "\\0", StringComparison.Ordinal);
        return shown.Length <= 80 ? shown : shown[..80] + "...";
    }

    private static TreeException BadPath(string message) => new(TreeErrorCode.InvalidPath, message);
}
