using Grove.Tree.Storage;
using StackExchange.Redis;

namespace Grove.Tree.Redis.Internal;

/// <summary>
/// The keys of one <c>redis(Key)</c> mount, all under <c>grove:&lt;Key&gt;:</c>: an object is a hash
/// (<c>o:&lt;id&gt;</c>: id, pid, nm, v, bk and the row's JSON), a directory's children are a sorted set of names
/// (<c>c:&lt;pid&gt;</c>, all score 0, so names sort by their UTF-8 bytes) beside a hash name → id (<c>n:&lt;pid&gt;</c>).
/// </summary>
internal sealed class RedisKeys(string key)
{
    public string Prefix { get; } = "grove:" + key + ":";

    public RedisKey Object(string id) => Prefix + "o:" + id;

    public RedisKey Names(string pid) => Prefix + "n:" + pid;

    public RedisKey Children(string pid) => Prefix + "c:" + pid;

    /// <summary>Ids of rows with an expiry, scored by it.</summary>
    public RedisKey Expiring => Prefix + "x";

    /// <summary>Ids of file rows whose content is in a bucket, for fsck (lexical order).</summary>
    public RedisKey ContentRows => Prefix + "f";

    /// <summary>Blob reference rows of a bucket: sha → "length|refs|zeroSince".</summary>
    public RedisKey Blobs(string bucket) => Prefix + "b:" + bucket;

    /// <summary>
    /// The change feed's entries of a store's log (<see cref="FeedEntry.Log"/>) whose commits the feed has not taken yet
    /// (<see cref="IPendingFeed"/>): a stream whose entry ids are <c>n-1</c>, n counted in <c>fq:&lt;log&gt;:n</c>, each with
    /// the entry's bytes in field <c>e</c>.
    /// </summary>
    public RedisKey FeedEntries(string log) => Prefix + "fq:" + log;

    /// <summary>Blobs with no reference, scored by when they fell to zero; members <c>bucket\nsha</c>.</summary>
    public RedisKey Unreferenced => Prefix + "z";

    /// <summary>
    /// A row from its JSON (<c>j</c>), bucket (<c>bk</c>) and inline length (<c>il</c>, present when the content lives
    /// in the row's <c>inl</c> field) fields, with the inline bytes when they were read; null when the hash is gone.
    /// </summary>
    public static TreeObject? Decode(RedisValue json, RedisValue bucket, RedisValue inlineLength = default, RedisValue inline = default)
    {
        if (json.IsNull)
        {
            return null;
        }

        var row = ObjectJson.Read(((ReadOnlyMemory<byte>)json).Span);
        row = bucket.IsNullOrEmpty ? row : row with { Bucket = bucket };
        return inlineLength.IsNull ? row : InlineRows.With(row, inline.IsNull ? null : (byte[])inline!);
    }

    /// <summary>A row from the fields of <see cref="RowFields"/> or <see cref="FullRowFields"/>, in that order.</summary>
    public static TreeObject? Decode(RedisValue[] f) =>
        Decode(f[0], f[1], f.Length > 2 ? f[2] : default, f.Length > 3 ? f[3] : default);

    /// <summary>The fields a row is read from (without its inline content).</summary>
    public static readonly RedisValue[] RowFields = ["j", "bk", "il"];

    /// <summary>The fields a row is read from, with its inline content.</summary>
    public static readonly RedisValue[] FullRowFields = ["j", "bk", "il", "inl"];

    public static string BlobValue(long length, long refs, long? zeroSince) => $"{length}|{refs}|{zeroSince?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ""}";

    public static BlobRow ParseBlob(string bucket, string sha, string value)
    {
        var p = value.Split('|');
        return new BlobRow(bucket, sha, long.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture),
            p[2].Length == 0 ? null : long.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture));
    }
}
