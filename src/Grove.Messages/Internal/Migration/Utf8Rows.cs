namespace Grove.Messages.Internal.Migration;

/// <summary>
/// One legacy message read straight from SQLite's pages: its rows' field names and values as UTF-8 in one reused
/// buffer (no string per row), for <see cref="LegacyMapper.Build(string, string, string, long, Utf8Rows, RangeCounts, string)"/>.
/// </summary>
internal sealed class Utf8Rows
{
    private byte[] _bytes = new byte[16 * 1024];
    private int[] _rows = new int[4 * 256];
    private int _used;

    public long Id;
    public string Partner = "";
    public string? Type;
    public object? Time;

    public int Count { get; private set; }

    public void Clear()
    {
        _used = 0;
        Count = 0;
    }

    /// <summary>Adds a row; a null value is <c>default</c> with <paramref name="valueIsNull"/> set.</summary>
    public void Add(ReadOnlySpan<byte> field, ReadOnlySpan<byte> value, bool valueIsNull)
    {
        var need = _used + field.Length + value.Length;
        if (need > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(need, _bytes.Length * 2));
        }

        if ((Count + 1) * 4 > _rows.Length)
        {
            Array.Resize(ref _rows, _rows.Length * 2);
        }

        var r = Count * 4;
        _rows[r] = _used;
        _rows[r + 1] = field.Length;
        field.CopyTo(_bytes.AsSpan(_used));
        _used += field.Length;
        _rows[r + 2] = _used;
        _rows[r + 3] = valueIsNull ? -1 : value.Length;
        value.CopyTo(_bytes.AsSpan(_used));
        _used += value.Length;
        Count++;
    }

    public ReadOnlySpan<byte> Field(int i) => _bytes.AsSpan(_rows[i * 4], _rows[(i * 4) + 1]);

    /// <summary>The value's bytes (empty for NULL: see <see cref="IsNull"/>).</summary>
    public ReadOnlySpan<byte> Value(int i) => _rows[(i * 4) + 3] < 0 ? default : _bytes.AsSpan(_rows[(i * 4) + 2], _rows[(i * 4) + 3]);

    public bool IsNull(int i) => _rows[(i * 4) + 3] < 0;

    /// <summary>The rows as strings (the slow path's form).</summary>
    public List<(string Field, string? Value)> ToStrings()
    {
        var list = new List<(string, string?)>(Count);
        for (var i = 0; i < Count; i++)
        {
            list.Add((System.Text.Encoding.UTF8.GetString(Field(i)), IsNull(i) ? null : System.Text.Encoding.UTF8.GetString(Value(i))));
        }

        return list;
    }
}
