using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Grove.Config.Internal;

/// <summary>
/// The local disk dump the seed describes: <c>&lt;data&gt;/config-dump/&lt;tenant&gt;/&lt;group&gt;/&lt;dataId&gt;</c> holds the
/// content as stored (sealed for secrets), <c>config-dump.meta/…/&lt;dataId&gt;.json</c> the metadata the engine needs to
/// serve from the dump alone. Every file is replaced by writing a temporary file and renaming it over the old one,
/// so a reader (or a crash) sees the old file or the new one, never a mix.
/// </summary>
internal sealed class DumpStore(string dataPath, ILogger logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _root = Path.GetFullPath(Path.Combine(dataPath, "config-dump"));
    private readonly string _metaRoot = Path.GetFullPath(Path.Combine(dataPath, "config-dump.meta"));
    private readonly string _tmp = Path.GetFullPath(Path.Combine(dataPath, "config-dump.tmp"));
    private readonly object[] _stripes = [.. Enumerable.Range(0, 64).Select(_ => new object())];

    public string Root => _root;

    public string ContentPath(ConfigKey key) => Confined(_root, key, "");

    private string MetaPath(ConfigKey key) => Confined(_metaRoot, key, ".json");

    private static string Confined(string root, ConfigKey key, string suffix)
    {
        var path = Path.GetFullPath(Path.Combine(root, ConfigPaths.TenantDir(key.Tenant), key.Group, key.DataId + suffix));

        // Note that valid keys cannot climb ('.', '..' and '/' are refused); this guards against a rule ever loosening.
        return path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ConfigException(ConfigErrorCode.InvalidArgument, $"{key} would leave the dump folder");
    }

    /// <summary>Writes what <paramref name="current"/> says is served for the key now (or removes its files).</summary>
    public void Write(ConfigKey key, Func<ConfigKey, Entry?> current)
    {
        lock (_stripes[(key.GetHashCode() & int.MaxValue) % _stripes.Length])
        {
            var e = current(key);
            try
            {
                if (e is null || e.IsTombstone)
                {
                    TryDelete(ContentPath(key));
                    TryDelete(MetaPath(key));
                    return;
                }

                if (e.Main is not null && e.MainBody is not null)
                {
                    WriteAtomic(ContentPath(key), e.MainBody);
                }
                else
                {
                    TryDelete(ContentPath(key));
                }

                WriteAtomic(MetaPath(key), JsonSerializer.SerializeToUtf8Bytes(MetaOf(e), Json));
            }
            catch (Exception x) when (x is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(x, "could not dump config {Key}", key);
            }
        }
    }

    private static DumpMeta MetaOf(Entry e) => new()
    {
        Tenant = e.Key.Tenant,
        Group = e.Key.Group,
        DataId = e.Key.DataId,
        Main = e.Main is { } m
            ? new DumpMain(e.MainRev, ConfigTypes.Name(m.Type), m.Description, m.Tags, m.App, m.Secret, m.Secret,
                m.CreatedAt.ToUnixTimeMilliseconds(), m.CreatedBy, m.ModifiedAt.ToUnixTimeMilliseconds(), m.ModifiedBy, m.ModifiedFromIp)
            : null,
        Beta = e.Beta is { } b && e.BetaBody is { } body
            ? new DumpBeta(e.BetaRev, body, SecretBox.IsSealed(body), b.Ips, b.Labels, b.ModifiedAt.ToUnixTimeMilliseconds(), b.ModifiedBy)
            : null,
    };

    private void WriteAtomic(string path, ReadOnlySpan<byte> bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Directory.CreateDirectory(_tmp);
        var tmp = Path.Combine(_tmp, Guid.NewGuid().ToString("N"));
        using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            fs.Write(bytes);
        }

        File.Move(tmp, path, overwrite: true);
    }

    private static void TryDelete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <summary>Everything dumped: the stored forms of each key, for starting without the store.</summary>
    public IEnumerable<(StoredConfig? Main, StoredBeta? Beta)> LoadAll()
    {
        if (!Directory.Exists(_metaRoot))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(_metaRoot, "*.json", SearchOption.AllDirectories))
        {
            var loaded = TryLoad(file);
            if (loaded is { } l)
            {
                yield return l;
            }
        }
    }

    private (StoredConfig?, StoredBeta?)? TryLoad(string file)
    {
        try
        {
            var meta = JsonSerializer.Deserialize<DumpMeta>(File.ReadAllBytes(file), Json);
            if (meta is null || ConfigKey.Validate(meta.DataId, meta.Group, meta.Tenant) is not null)
            {
                return null;
            }

            var key = ConfigKey.Create(meta.DataId, meta.Group, meta.Tenant);
            StoredConfig? main = null;
            if (meta.Main is { } m && File.Exists(ContentPath(key)))
            {
                main = new StoredConfig
                {
                    Key = key,
                    Body = File.ReadAllBytes(ContentPath(key)),
                    Sealed = m.Sealed,
                    Type = ConfigTypes.TryParse(m.Type) ?? ConfigType.Text,
                    Description = m.Description,
                    Tags = m.Tags ?? [],
                    App = m.App,
                    Secret = m.Secret,
                    Rev = m.Rev,
                    Created = m.Created,
                    CreatedBy = m.CreatedBy,
                    Modified = m.Modified,
                    ModifiedBy = m.ModifiedBy,
                    SourceIp = m.Ip,
                };
            }

            var beta = meta.Beta is { } b
                ? new StoredBeta { Key = key, Body = b.Body, Sealed = b.Sealed, Ips = b.Ips ?? [], Labels = b.Labels ?? [], Rev = b.Rev, Modified = b.Modified, ModifiedBy = b.ModifiedBy }
                : null;
            return (main, beta);
        }
        catch (Exception x) when (x is IOException or JsonException or UnauthorizedAccessException)
        {
            logger.LogWarning(x, "skipping unreadable dump file {File}", file);
            return null;
        }
    }

    /// <summary>Removes dumped keys that are not served any more; returns how many.</summary>
    public int RemoveOthers(Func<ConfigKey, Entry?> current)
    {
        if (!Directory.Exists(_metaRoot))
        {
            return 0;
        }

        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(_metaRoot, "*.json", SearchOption.AllDirectories).ToList())
        {
            var rel = Path.GetRelativePath(_metaRoot, file).Split(Path.DirectorySeparatorChar);
            if (rel.Length != 3 || !rel[2].EndsWith(".json", StringComparison.Ordinal))
            {
                continue;
            }

            var dataId = rel[2][..^".json".Length];
            var tenant = ConfigPaths.TenantOf(rel[0]);
            if (ConfigKey.Validate(dataId, rel[1], tenant) is null)
            {
                var key = ConfigKey.Create(dataId, rel[1], tenant);
                if (current(key) is null or { IsTombstone: true })
                {
                    Write(key, current);
                    removed++;
                }
            }
        }

        return removed;
    }
}
