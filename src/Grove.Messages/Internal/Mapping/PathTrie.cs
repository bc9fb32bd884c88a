using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Grove.Messages.Internal.Mapping;

/// <summary>
/// A mapping's source paths merged into one tree of segments, so that one walk of a parsed body finds every field:
/// each object on the way is enumerated once (a name lookup per property), never searched once per field.
/// Same rules as <see cref="SourcePath"/>: where a segment meets an array it takes the first item; a path ending on
/// an array whose first item is a value takes that value.
/// </summary>
internal sealed class PathTrie
{
    private readonly Dictionary<string, PathTrie> _children = new(StringComparer.Ordinal);
    private readonly List<int> _ends = [];
    private readonly Dictionary<string, PathTrie>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    private PathTrie() => _lookup = _children.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The number of paths the trie was built from.</summary>
    public int Count { get; private set; }

    public static PathTrie Build(IEnumerable<string> paths)
    {
        var root = new PathTrie();
        foreach (var path in paths)
        {
            var node = root;
            foreach (var s in SourcePath.Split(path))
            {
                if (!node._children.TryGetValue(s, out var child))
                {
                    node._children[s] = child = new PathTrie();
                }

                node = child;
            }

            node._ends.Add(root.Count++);
        }

        return root;
    }

    /// <summary>Finds every path's element in <paramref name="source"/>; <paramref name="found"/>[i] is false where path i is absent.</summary>
    public void Resolve(JsonElement source, Span<JsonElement> results, Span<bool> found)
    {
        found.Clear();
        Walk(source, results, found);
    }

    private void Walk(JsonElement e, Span<JsonElement> results, Span<bool> found)
    {
        if (_ends.Count > 0)
        {
            var value = e.ValueKind == JsonValueKind.Array && e.GetArrayLength() > 0 && e[0].ValueKind is not (JsonValueKind.Object or JsonValueKind.Array) ? e[0] : e;
            foreach (var i in _ends)
            {
                // Note that with a repeated name the first one counts, as a tree lookup would find it.
                if (!found[i])
                {
                    results[i] = value;
                    found[i] = true;
                }
            }
        }

        if (_children.Count == 0)
        {
            return;
        }

        if (e.ValueKind == JsonValueKind.Array)
        {
            if (e.GetArrayLength() == 0)
            {
                return;
            }

            e = e[0];
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        Span<char> chars = stackalloc char[256];
        foreach (var p in e.EnumerateObject())
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(p);
            PathTrie? child;
            if (raw.Length <= 256 && !raw.Contains((byte)'\\'))
            {
                var n = Encoding.UTF8.GetChars(raw, chars);
                _lookup.TryGetValue(chars[..n], out child);
            }
            else
            {
                _children.TryGetValue(p.Name, out child);
            }

            child?.Walk(p.Value, results, found);
        }
    }
}
