using System.Collections.Concurrent;

namespace Grove.Server.Tests.Chaos;

/// <summary>
/// What the writers know the server holds: for each key the values it may hold now. An acknowledged write leaves one
/// value; a write in flight when the server died adds the new value to the old (either is right, nothing else is).
/// After a restart the verifier narrows each key to what it found.
/// </summary>
internal sealed class CrashModel
{
    /// <summary>Absent, as a value.</summary>
    public const string Absent = "<absent>";

    private readonly ConcurrentDictionary<string, HashSet<string>> _values = new(StringComparer.Ordinal);

    /// <summary>Groups of keys written by one all-or-nothing call in flight: after a crash all hold the new value or none.</summary>
    public ConcurrentDictionary<string, (string Key, string Value)[]> Atomic { get; } = new(StringComparer.Ordinal);

    /// <summary>Moves in flight: after a crash exactly one of the two paths holds the file.</summary>
    public ConcurrentDictionary<(string From, string To), bool> Moves { get; } = new();

    /// <summary>Counts of acknowledged operations by kind, for the report.</summary>
    public ConcurrentDictionary<string, int> Acked { get; } = new(StringComparer.Ordinal);

    public IEnumerable<string> Keys(string prefix) => _values.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    public IReadOnlySet<string> Allowed(string key) => _values.TryGetValue(key, out var v) ? v : new HashSet<string> { Absent };

    /// <summary>The one value of a key that is not in doubt, else null.</summary>
    public string? Known(string key)
    {
        var v = Allowed(key);
        return v.Count == 1 ? v.First() : null;
    }

    /// <summary>Before sending: the key may now hold <paramref name="value"/> too.</summary>
    public void Begin(string key, string value)
    {
        var set = _values.GetOrAdd(key, _ => [Absent]);
        lock (set)
        {
            set.Add(value);
        }
    }

    /// <summary>Acknowledged: the key holds <paramref name="value"/>.</summary>
    public void Ack(string kind, string key, string value)
    {
        _values[key] = [value];
        Acked.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }

    /// <summary>Acknowledged without changing a key (for kinds counted elsewhere).</summary>
    public void Count(string kind) => Acked.AddOrUpdate(kind, 1, (_, n) => n + 1);

    /// <summary>After verification: the key holds what was found.</summary>
    public void Settle(string key, string found) => _values[key] = [found];

    public void ClearInFlight()
    {
        Atomic.Clear();
        Moves.Clear();
    }
}
