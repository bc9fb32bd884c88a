using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Grove.Config.Internal.Engine;

/// <summary>The validators registered per group; checked before anything is written.</summary>
internal sealed class Validators
{
    private readonly ConcurrentDictionary<string, ImmutableArray<IConfigValidator>> _byGroup = new(StringComparer.Ordinal);

    public IDisposable Add(string group, IConfigValidator validator)
    {
        _byGroup.AddOrUpdate(group, _ => [validator], (_, list) => list.Add(validator));
        return new Registration(() => _byGroup.AddOrUpdate(group, _ => [], (_, list) => list.Remove(validator)));
    }

    public void Check(ConfigKey key, string content)
    {
        if (_byGroup.TryGetValue(key.Group, out var list))
        {
            foreach (var v in list)
            {
                v.Validate(key, content);
            }
        }
    }

    private sealed class Registration(Action remove) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                remove();
            }
        }
    }
}
