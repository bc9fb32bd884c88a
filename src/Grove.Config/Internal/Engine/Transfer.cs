using System.IO.Compression;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Grove.Config.Internal.Engine;

/// <summary>Zip export and import of configs (Nacos's format with Grove's metadata), all or nothing.</summary>
internal sealed class Transfer(EngineContext context)
{
    private readonly EngineContext _c = context;

    private static readonly ISerializer YamlOut = new SerializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .Build();

    private static readonly IDeserializer YamlIn = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    /// <summary>
    /// Writes a namespace's configs as a zip in Nacos 2's export layout: <c>&lt;group&gt;/&lt;dataId&gt;</c> entries and a
    /// <c>.metadata.yml</c>. Secrets stay sealed unless <see cref="ExportOptions.SecretsInPlainText"/>. Returns how many.
    /// </summary>
    public async Task<int> ExportAsync(Stream zip, ExportOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(zip);
        options ??= new ExportOptions();
        _c.Authorize(options.Actor, "export configs");
        var wanted = options.Keys?.ToHashSet();
        var entries = _c.Served.Map.All
            .Where(e => e.Main is not null && e.Key.Tenant == options.Tenant
                && (options.Group is null || e.Key.Group == options.Group) && (wanted is null || wanted.Contains(e.Key))
                && (options.App is null || e.Main.App == options.App) && (options.Revisions is null || options.Revisions.Contains(e.Main.Revision)))
            .OrderBy(e => e.Key.Group, StringComparer.Ordinal).ThenBy(e => e.Key.DataId, StringComparer.Ordinal)
            .ToList();
        var meta = new ZipMetadata();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var e in entries)
            {
                var item = e.Main!;
                var sealedOut = item.Secret && !options.SecretsInPlainText;
                var body = sealedOut ? e.MainBody! : item.Utf8.ToArray();
                var entry = archive.CreateEntry($"{e.Key.Group}/{e.Key.DataId}", CompressionLevel.Fastest);
                entry.LastWriteTime = item.ModifiedAt;
                await using (var s = await entry.OpenAsync(ct))
                {
                    await s.WriteAsync(body, ct);
                }

                meta.Metadata.Add(new ZipMetadataItem
                {
                    Group = e.Key.Group,
                    DataId = e.Key.DataId,
                    Type = ConfigTypes.Name(item.Type),
                    Desc = item.Description,
                    AppName = item.App,
                    ConfigTags = item.Tags.Count == 0 ? null : string.Join(',', item.Tags),
                    Secret = item.Secret ? true : null,
                    Sealed = sealedOut ? true : null,
                    SealedFor = sealedOut ? ConfigPaths.Compact(e.Key) : null,
                });
            }

            var metaEntry = archive.CreateEntry(ZipMetadata.FileName, CompressionLevel.Fastest);
            await using var ms = await metaEntry.OpenAsync(ct);
            await ms.WriteAsync(Encoding.UTF8.GetBytes(YamlOut.Serialize(meta)), ct);
        }

        return entries.Count;
    }

    /// <summary>
    /// Imports a zip in the export layout into <see cref="ImportOptions.Tenant"/>, all or nothing: every entry is
    /// validated first (names, size, format), then all are committed in one transaction under the conflict policy.
    /// </summary>
    public async Task<ImportResult> ImportAsync(Stream zip, ImportOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(zip);
        options ??= new ImportOptions();
        _c.Authorize(options.Actor, "import configs");
        var (files, meta) = await ReadZipAsync(zip, ct);
        var byKey = meta.Metadata
            .Where(m => m.Group is not null && m.DataId is not null)
            .GroupBy(m => (m.Group!, m.DataId!))
            .ToDictionary(g => g.Key, g => g.First());
        var requests = new List<PublishRequest>(files.Count);
        foreach (var (name, body) in files)
        {
            var slash = name.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || name.IndexOf('/', slash + 1) >= 0)
            {
                throw ConfigException.Invalid($"zip entry '{name}' is not <group>/<dataId>; nothing was imported");
            }

            var key = ConfigKey.Create(name[(slash + 1)..], name[..slash], options.Tenant);
            byKey.TryGetValue((key.Group, key.DataId), out var m);
            var plain = m?.Sealed == true ? _c.Box.Open(body, ConfigPaths.FromCompact(m.SealedFor) ?? key) : body;
            string content;
            try
            {
                content = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(plain);
            }
            catch (DecoderFallbackException e)
            {
                throw new ConfigException(ConfigErrorCode.InvalidArgument, $"zip entry '{name}' is not UTF-8 text; nothing was imported", e);
            }

            requests.Add(new PublishRequest
            {
                Key = key,
                Content = content,
                Type = m?.Type is { } t ? ConfigTypes.Parse(t) : ConfigTypes.FromDataId(key.DataId),
                Description = m?.Desc,
                App = m?.AppName,
                Tags = m?.ConfigTags?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Secret = m?.Secret == true || m?.Sealed == true,
                Actor = options.Actor,
                ClientIp = options.ClientIp,
            });
        }

        var results = await _c.Publisher.PublishManyAsync(requests, ConfigOp.Import, options.Policy, ct);
        return new ImportResult(
            results.Where(r => r.Changed && r.Created).Select(r => r.Item.Key).ToList(),
            results.Where(r => r.Changed && !r.Created).Select(r => r.Item.Key).ToList(),
            results.Where(r => !r.Changed).Select(r => r.Item.Key).ToList());
    }

    /// <summary>Reads the entries, counting bytes as they inflate (a zip's own size fields are not trusted).</summary>
    private async Task<(List<(string Name, byte[] Body)> Files, ZipMetadata Meta)> ReadZipAsync(Stream zip, CancellationToken ct)
    {
        var files = new List<(string, byte[])>();
        var meta = new ZipMetadata();
        long total = 0;
        try
        {
            using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
            if (archive.Entries.Count > _c.Options.MaxImportEntries + 1)
            {
                throw ConfigException.Invalid($"the zip holds {archive.Entries.Count} entries; at most {_c.Options.MaxImportEntries}");
            }

            foreach (var entry in archive.Entries)
            {
                if (entry.FullName.Contains('\\', StringComparison.Ordinal) || entry.FullName.Split('/').Contains(".."))
                {
                    // Note that a Windows separator is refused like '/': '..\..\evil' must not pass as a dot file.
                    throw ConfigException.Invalid($"zip entry '{entry.FullName}' is not <group>/<dataId> (it climbs or uses '\\'); nothing was imported");
                }

                if (entry.FullName.EndsWith('/'))
                {
                    continue;
                }

                var isMeta = entry.FullName == ZipMetadata.FileName;
                var limit = isMeta ? 16L << 20 : _c.Options.MaxContentBytes + 64L * 1024;
                var body = await ReadBoundedAsync(entry, limit, ct);
                total += body.Length;
                if (total > _c.Options.MaxImportBytes)
                {
                    throw ConfigException.Invalid($"the zip expands past {_c.Options.MaxImportBytes} bytes; nothing was imported");
                }

                if (isMeta)
                {
                    meta = ParseMetadata(body);
                }
                else if (!(entry.FullName.StartsWith('.') && !entry.FullName.Contains('/', StringComparison.Ordinal)))
                {
                    // Note that other dot files at the top (Nacos 1's .meta.yml) are not configs.
                    files.Add((entry.FullName, body));
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new ConfigException(ConfigErrorCode.InvalidArgument, $"not a readable zip: {e.Message}", e);
        }

        return (files, meta);
    }

    private static async Task<byte[]> ReadBoundedAsync(ZipArchiveEntry entry, long limit, CancellationToken ct)
    {
        await using var s = await entry.OpenAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await s.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > limit)
            {
                throw new ConfigException(ConfigErrorCode.TooLarge, $"zip entry '{entry.FullName}' is over {limit} bytes; nothing was imported") { Limit = limit };
            }
        }

        return buffer.ToArray();
    }

    private static ZipMetadata ParseMetadata(byte[] body)
    {
        try
        {
            return YamlIn.Deserialize<ZipMetadata>(Encoding.UTF8.GetString(body)) ?? new ZipMetadata();
        }
        catch (YamlException e)
        {
            throw new ConfigException(ConfigErrorCode.InvalidFormat, $"{ZipMetadata.FileName} is not valid: {e.Message}", e)
            {
                Line = (int)e.Start.Line,
                Column = (int)e.Start.Column,
            };
        }
    }
}
