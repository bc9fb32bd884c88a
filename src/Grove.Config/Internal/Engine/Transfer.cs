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
    /// Entries are read one at a time, each into one array of its exact size that becomes the stored and served
    /// content (no string, no copy): the import holds its content once (issue 12, defect 4).
    /// </summary>
    public async Task<ImportResult> ImportAsync(Stream zip, ImportOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(zip);
        options ??= new ImportOptions();
        _c.Authorize(options.Actor, "import configs");
        var drafts = await ReadDraftsAsync(zip, options, ct);
        var results = await _c.Publisher.PublishDraftsAsync(drafts, ConfigOp.Import, options.Policy, ct);
        return new ImportResult(
            results.Where(r => r.Changed && r.Created).Select(r => r.Item.Key).ToList(),
            results.Where(r => r.Changed && !r.Created).Select(r => r.Item.Key).ToList(),
            results.Where(r => !r.Changed).Select(r => r.Item.Key).ToList());
    }

    /// <summary>
    /// Reads the metadata (located through the zip's directory, wherever it is), then the entries one by one,
    /// counting bytes as they inflate (a zip's own size fields are not trusted).
    /// </summary>
    private async Task<List<Draft>> ReadDraftsAsync(Stream zip, ImportOptions options, CancellationToken ct)
    {
        var drafts = new List<Draft>();
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
            }

            long total = 0;
            var meta = new ZipMetadata();
            if (archive.GetEntry(ZipMetadata.FileName) is { } metaEntry)
            {
                var body = await ReadBoundedAsync(metaEntry, 16L << 20, ct);
                total += body.Length;
                meta = ParseMetadata(body);
            }

            var byKey = meta.Metadata
                .Where(m => m.Group is not null && m.DataId is not null)
                .GroupBy(m => (m.Group!, m.DataId!))
                .ToDictionary(g => g.Key, g => g.First());
            foreach (var entry in archive.Entries)
            {
                // Note that other dot files at the top (Nacos 1's .meta.yml) are not configs.
                var name = entry.FullName;
                if (name.EndsWith('/') || (name.StartsWith('.') && !name.Contains('/', StringComparison.Ordinal)))
                {
                    continue;
                }

                var body = await ReadBoundedAsync(entry, _c.Options.MaxContentBytes + 64L * 1024, ct);
                total += body.Length;
                if (total > _c.Options.MaxImportBytes)
                {
                    throw ConfigException.Invalid($"the zip expands past {_c.Options.MaxImportBytes} bytes; nothing was imported");
                }

                drafts.Add(Draft(name, body, byKey, options));
            }
        }
        catch (InvalidDataException e)
        {
            throw new ConfigException(ConfigErrorCode.InvalidArgument, $"not a readable zip: {e.Message}", e);
        }

        return drafts;
    }

    private Draft Draft(string name, byte[] body, Dictionary<(string, string), ZipMetadataItem> byKey, ImportOptions options)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || name.IndexOf('/', slash + 1) >= 0)
        {
            throw ConfigException.Invalid($"zip entry '{name}' is not <group>/<dataId>; nothing was imported");
        }

        var key = ConfigKey.Create(name[(slash + 1)..], name[..slash], options.Tenant);
        byKey.TryGetValue((key.Group, key.DataId), out var m);
        var plain = m?.Sealed == true ? _c.Box.Open(body, ConfigPaths.FromCompact(m.SealedFor) ?? key) : body;
        if (!System.Text.Unicode.Utf8.IsValid(plain))
        {
            throw new ConfigException(ConfigErrorCode.InvalidArgument, $"zip entry '{name}' is not UTF-8 text; nothing was imported");
        }

        var max = _c.Options.MaxContentBytes;
        if (plain.Length > max)
        {
            throw new ConfigException(ConfigErrorCode.TooLarge, $"content of {key} is {plain.Length} bytes; the limit is {max} bytes ({max / 1024.0:0.#} KiB)") { Limit = max };
        }

        return new Draft(
            new PublishRequest
            {
                Key = key,
                Content = "", // the content is the draft's UTF-8
                Type = m?.Type is { } t ? ConfigTypes.Parse(t) : ConfigTypes.FromDataId(key.DataId),
                Description = m?.Desc,
                App = m?.AppName,
                Tags = m?.ConfigTags?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Secret = m?.Secret == true || m?.Sealed == true,
                Actor = options.Actor,
                ClientIp = options.ClientIp,
            },
            plain);
    }

    /// <summary>
    /// An entry's bytes in one array of their size: sized by the entry's declared length (capped at the limit) and
    /// grown only when the entry inflates past it, so an honest entry costs one allocation.
    /// </summary>
    private static async Task<byte[]> ReadBoundedAsync(ZipArchiveEntry entry, long limit, CancellationToken ct)
    {
        await using var s = await entry.OpenAsync(ct);
        var buffer = new byte[(int)Math.Clamp(entry.Length, 0, limit)];
        var used = 0;
        var probe = new byte[1];
        while (true)
        {
            if (used == buffer.Length)
            {
                // Note that a full buffer may be the exact size: one byte more tells whether the entry goes on.
                if (await s.ReadAsync(probe, ct) == 0)
                {
                    return buffer;
                }

                if (used + 1 > limit)
                {
                    throw TooLarge(entry, limit);
                }

                Array.Resize(ref buffer, (int)Math.Min(limit + 1, Math.Max(4096, (long)buffer.Length * 2)));
                buffer[used++] = probe[0];
                continue;
            }

            var n = await s.ReadAsync(buffer.AsMemory(used), ct);
            if (n == 0)
            {
                return used == buffer.Length ? buffer : buffer[..used];
            }

            used += n;
            if (used > limit)
            {
                throw TooLarge(entry, limit);
            }
        }
    }

    private static ConfigException TooLarge(ZipArchiveEntry entry, long limit) =>
        new(ConfigErrorCode.TooLarge, $"zip entry '{entry.FullName}' is over {limit} bytes; nothing was imported") { Limit = limit };

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
