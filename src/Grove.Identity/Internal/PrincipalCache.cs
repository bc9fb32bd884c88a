using System.Collections.Concurrent;

namespace Grove.Identity.Internal;

/// <summary>
/// Authenticated principals by token hash, for a short time, so a busy client costs no store read per request.
/// Entries never outlive their token; logout, key deletion and user changes remove them at once.
/// </summary>
internal sealed class PrincipalCache(TimeProvider time, TimeSpan lifetime)
{
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed record Entry(Principal Principal, long Until, string? KeyId);

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public bool TryGet(string tokenHash, out Principal principal)
    {
        principal = null!;
        if (!_entries.TryGetValue(tokenHash, out var e))
        {
            return false;
        }

        if (e.Until <= Now)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(tokenHash, e));
            return false;
        }

        principal = e.Principal;
        return true;
    }

    /// <summary>Remembers a principal until the cache lifetime passes or <paramref name="notAfter"/> (ms), whichever is first.</summary>
    public void Put(string tokenHash, Principal principal, string? keyId, long notAfter)
    {
        if (lifetime <= TimeSpan.Zero)
        {
            return;
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        var until = Math.Min(notAfter, Now + (long)lifetime.TotalMilliseconds);
        _entries[tokenHash] = new Entry(principal, until, keyId);
    }

    public void Remove(string tokenHash) => _entries.TryRemove(tokenHash, out _);

    public void Clear() => _entries.Clear();

    public void RemoveUser(string user) => RemoveWhere(e => e.Principal.User == user);

    public void RemoveKey(string keyId) => RemoveWhere(e => e.KeyId == keyId);

    private void RemoveWhere(Func<Entry, bool> match)
    {
        foreach (var (key, e) in _entries)
        {
            if (match(e))
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, e));
            }
        }
    }
}
