namespace Grove.Tree.Internal;

/// <summary>
/// Maps relative, forward-slash paths inside a mount root to filesystem paths, and refuses any that would leave the root:
/// <c>..</c>, NUL, backslashes, absolute paths, and symbolic links whose final target lies outside the root.
/// The check runs when called; a link swapped in afterwards by another process is not seen (open files promptly).
/// </summary>
internal static class SafePath
{
    private const int MaxLinkHops = 40;

    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private static readonly char[] Separators = OperatingSystem.IsWindows() ? ['/', '\\'] : ['/'];

    /// <summary>
    /// The absolute path of <paramref name="relative"/> under <paramref name="root"/> (empty and <c>.</c> segments dropped).
    /// Every existing component that is a symbolic link must lead, through all its hops, to a place inside the root.
    /// </summary>
    /// <exception cref="TreeException">With <see cref="TreeErrorCode.PathEscape"/>.</exception>
    public static string Resolve(string root, string relative)
    {
        var rootFull = FullRoot(root);
        var segments = Segments(relative);
        var realRoot = RealPath(rootFull);
        var real = realRoot;
        var path = rootFull;
        var hops = 0;
        for (var k = 0; k < segments.Count; k++)
        {
            path = Path.Join(path, segments[k]);
            real = Step(real, segments[k], ref hops, relative);
            if (!IsWithin(realRoot, real))
            {
                var component = string.Join('/', segments.Take(k + 1));
                throw Escape($"path '{relative}' escapes the mount root '{root}': '{component}' is a symbolic link "
                    + $"leading to '{real}', outside the root");
            }
        }

        return path;
    }

    /// <summary>The forward-slash path of <paramref name="fullPath"/> relative to <paramref name="root"/>; "" for the root.</summary>
    /// <exception cref="TreeException">With <see cref="TreeErrorCode.PathEscape"/> when the path is not inside the root.</exception>
    public static string ToRelative(string root, string fullPath)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        var rootFull = FullRoot(root);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(fullPath));
        if (string.Equals(full, rootFull, PathComparison))
        {
            return "";
        }

        if (!IsWithin(rootFull, full))
        {
            throw Escape($"'{fullPath}' is not inside the mount root '{root}'");
        }

        var rest = full[WithSeparator(rootFull).Length..];
        return OperatingSystem.IsWindows() ? rest.Replace('\\', '/') : rest;
    }

    private static string FullRoot(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Path.IsPathFullyQualified(root))
        {
            throw new ArgumentException($"the mount root '{root}' is not an absolute path", nameof(root));
        }

        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    private static List<string> Segments(string relative)
    {
        ArgumentNullException.ThrowIfNull(relative);
        if (relative.Contains('\0', StringComparison.Ordinal))
        {
            throw Escape($"path '{relative.Replace("\0", "\\0", StringComparison.Ordinal)}' contains NUL");
        }

        if (relative.Contains('\\', StringComparison.Ordinal))
        {
            throw Escape($"path '{relative}' contains a backslash; use '/'");
        }

        if (relative.StartsWith('/') || Path.IsPathRooted(relative))
        {
            throw Escape($"path '{relative}' is absolute; a path inside a mount must be relative");
        }

        var segments = new List<string>();
        foreach (var segment in relative.Split('/'))
        {
            if (segment == "..")
            {
                throw Escape($"path '{relative}' climbs with '..'");
            }

            if (segment is not ("" or "."))
            {
                segments.Add(segment);
            }
        }

        return segments;
    }

    /// <summary>The path with every symbolic link resolved, like realpath(3), but also for parts that do not exist.</summary>
    private static string RealPath(string fullPath)
    {
        var real = Path.GetPathRoot(fullPath) ?? "/";
        var hops = 0;
        foreach (var segment in fullPath[real.Length..].Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            real = Step(real, segment, ref hops, fullPath);
        }

        return real;
    }

    /// <summary>Appends one name to a link-free path <paramref name="real"/>, following a link there through all hops.</summary>
    private static string Step(string real, string name, ref int hops, string what)
    {
        if (name == ".")
        {
            return real;
        }

        if (name == "..")
        {
            return Path.GetDirectoryName(real) ?? real;
        }

        var next = Path.Join(real, name);
        var target = LinkTarget(next);
        if (target is null)
        {
            return next;
        }

        if (++hops > MaxLinkHops)
        {
            throw Escape($"path '{what}' has too many levels of symbolic links");
        }

        // A relative target is relative to the link's folder, which is `real` itself: already free of links.
        var result = Path.IsPathRooted(target) ? Path.GetPathRoot(target) ?? "/" : real;
        var rest = Path.IsPathRooted(target) ? target[result.Length..] : target;
        foreach (var part in rest.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            result = Step(result, part, ref hops, what);
        }

        return result;
    }

    /// <summary>The immediate target of a symbolic link, or null when the path is not a link or does not exist.</summary>
    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static bool IsWithin(string root, string path) =>
        string.Equals(path, root, PathComparison) || path.StartsWith(WithSeparator(root), PathComparison);

    private static string WithSeparator(string root) =>
        Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;

    private static TreeException Escape(string message) => new(TreeErrorCode.PathEscape, message);
}
