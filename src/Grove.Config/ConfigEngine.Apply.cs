using System.Text;
using Grove.Config.Internal;
using Microsoft.Extensions.Logging;

namespace Grove.Config;

public sealed partial class ConfigEngine
{
    /// <summary>The MD5 a client sees for a key ("" when the config does not exist for it).</summary>
    private string? Md5For(ConfigKey key, ConfigClient? client) => _map.Get(key)?.For(client)?.Md5;

    private byte[] Plain(ConfigKey key, byte[] body, bool isSealed) => isSealed ? _box.Open(body, key) : body;

    private ConfigItem Materialize(StoredConfig s)
    {
        var plain = Plain(s.Key, s.Body, s.Sealed);
        return new ConfigItem
        {
            Key = s.Key,
            Content = Encoding.UTF8.GetString(plain),
            Utf8 = plain,
            Md5 = Md5Hex.Of(plain),
            Type = s.Type,
            Description = s.Description,
            Tags = s.Tags,
            App = s.App,
            Secret = s.Secret,
            Revision = s.Rev,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(s.Created),
            CreatedBy = s.CreatedBy,
            ModifiedAt = DateTimeOffset.FromUnixTimeMilliseconds(s.Modified),
            ModifiedBy = s.ModifiedBy,
            ModifiedFromIp = s.SourceIp,
        };
    }

    private ConfigBeta Materialize(StoredBeta s)
    {
        var plain = Plain(s.Key, s.Body, s.Sealed);
        return new ConfigBeta
        {
            Key = s.Key,
            Content = Encoding.UTF8.GetString(plain),
            Md5 = Md5Hex.Of(plain),
            Ips = s.Ips,
            Labels = s.Labels,
            Revision = s.Rev,
            ModifiedAt = DateTimeOffset.FromUnixTimeMilliseconds(s.Modified),
            ModifiedBy = s.ModifiedBy,
        };
    }

    /// <summary>
    /// Applies the released part and the beta part of a key, each only when newer than what is served (a null
    /// state with a revision removes that part). Returns whether anything changed.
    /// </summary>
    private bool Apply(ConfigKey key, StoredConfig? main, long mainRev, StoredBeta? beta, long betaRev, bool dump = true, bool setsMain = true, bool setsBeta = true)
    {
        Entry? changed = null;
        if (setsMain && mainRev > 0)
        {
            changed = Guarded(key, () => _map.ApplyMain(key, main is null ? null : Materialize(main), main?.Body, mainRev)) ?? changed;
        }

        if (setsBeta && betaRev > 0)
        {
            changed = Guarded(key, () => _map.ApplyBeta(key, beta is null ? null : Materialize(beta), beta?.Body, betaRev)) ?? changed;
        }

        if (changed is null)
        {
            return false;
        }

        AfterChange(changed, dump);
        return true;
    }

    private Entry? Guarded(ConfigKey key, Func<Entry?> apply)
    {
        try
        {
            return apply();
        }
        catch (ConfigException e)
        {
            // A secret sealed under another master key: it cannot be served here, and saying so beats serving junk.
            _log.LogError(e, "cannot serve {Key}", key);
            return null;
        }
    }

    private void AfterChange(Entry e, bool dump)
    {
        var rev = e.Rev;
        long seen;
        while (rev > (seen = Interlocked.Read(ref _servedRev)) && Interlocked.CompareExchange(ref _servedRev, rev, seen) != seen)
        {
        }

        if (dump)
        {
            // Note that the dump is written behind the change (milliseconds later, coalesced per key): it is a cache
            // of the store, and two file renames would otherwise double the time of a publish.
            _dumpDirty[e.Key] = 0;
            try
            {
                _dumpSignal.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }

        _waiters.Notify(e.Key);
        if (Changed is { } handlers)
        {
            var change = new ConfigChange(e.Key, rev, e.Main?.Md5, e.Beta?.Md5);
            foreach (var h in handlers.GetInvocationList().Cast<Action<ConfigChange>>())
            {
                try
                {
                    h(change);
                }
                catch (Exception x)
                {
                    _log.LogError(x, "a Changed handler failed for {Key}", e.Key);
                }
            }
        }
    }
}
