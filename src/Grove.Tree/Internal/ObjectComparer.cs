using Grove.Tree.Query;

namespace Grove.Tree.Internal;

/// <summary>
/// Orders objects by sort keys exactly as the SQL indexers do: null (missing) is the smallest value, so it comes
/// first ascending and last descending; mixed kinds order numbers, strings, booleans.
/// </summary>
internal sealed class ObjectComparer : IComparer<TreeObject>
{
    private readonly SortKey[] _keys;

    /// <summary>Creates the comparer; the keys should end with <c>id</c> (it is appended when they do not).</summary>
    public ObjectComparer(IReadOnlyList<SortKey> keys) => _keys = [.. SortKeys.Normalize(keys)];

    /// <summary>The sort keys in use, ending with <c>id</c>.</summary>
    public IReadOnlyList<SortKey> Keys => _keys;

    /// <inheritdoc/>
    public int Compare(TreeObject? x, TreeObject? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        foreach (var k in _keys)
        {
            var r = ScalarOrder.Compare(Scalars.Of(x, k.Key), Scalars.Of(y, k.Key));
            if (r != 0)
            {
                return k.Descending ? -r : r;
            }
        }

        return 0;
    }

    /// <summary>
    /// Compares an object with cursor values (one per key, as from <see cref="ValuesOf"/> or <see cref="Cursor.Decode"/>):
    /// positive when the object sorts after them, which is the in-memory form of the SQL keyset condition.
    /// Throws "bad cursor" when the values are not plain or their count is wrong.
    /// </summary>
    public int CompareToValues(TreeObject o, IReadOnlyList<object?> values)
    {
        if (values.Count != _keys.Length)
        {
            throw FilterError.Invalid("bad cursor");
        }

        for (var i = 0; i < _keys.Length; i++)
        {
            object? v;
            try
            {
                v = Scalars.Operand(_keys[i].Key, values[i]);
            }
            catch (TreeException e)
            {
                throw FilterError.Invalid("bad cursor", e);
            }

            var r = ScalarOrder.Compare(Scalars.Of(o, _keys[i].Key), v);
            if (r != 0)
            {
                return _keys[i].Descending ? -r : r;
            }
        }

        return 0;
    }

    /// <summary>The object's sort values, one per key: what a cursor holds for the last row of a page.</summary>
    public IReadOnlyList<object?> ValuesOf(TreeObject o) => _keys.Select(k => Scalars.Of(o, k.Key)).ToArray();
}
