using System.Globalization;
using Grove.Tree.Storage;

namespace Grove.Tree.S3;

/// <summary>
/// One named object-storage bucket, from the settings under <c>Grove:Buckets:&lt;Name&gt;</c> (read alike by the server
/// and the CLI, so <c>Grove__Buckets__media__SecretKey</c> in the environment works). <see cref="ToString"/> never shows
/// the secret.
/// </summary>
public sealed record S3BucketSettings
{
    /// <summary>The setting prefix of every named bucket.</summary>
    public const string Section = "Buckets";

    /// <summary>The name in <c>s3(Name)</c> / <c>aliyunoss(Name)</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The protocol: <c>s3</c> (Aliyun OSS speaks it too).</summary>
    public string Kind { get; init; } = "s3";

    /// <summary>The endpoint (<c>https://oss-cn-hangzhou.aliyuncs.com</c>, <c>http://127.0.0.1:4568</c>); null for AWS by region.</summary>
    public string? ServiceUrl { get; init; }

    /// <summary>The signing region (default <c>us-east-1</c>).</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The S3 bucket.</summary>
    public required string Bucket { get; init; }

    /// <summary>The key prefix of Grove's blobs in the bucket (no leading or trailing slash); empty for the bucket's root.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>Path-style addressing (<c>host/bucket/key</c>), as S3-compatible servers without DNS per bucket need.</summary>
    public bool ForcePathStyle { get; init; }

    /// <summary>The access key id.</summary>
    public string? AccessKey { get; init; }

    /// <summary>The secret key; never logged nor shown.</summary>
    public string? SecretKey { get; init; }

    /// <summary>Content over this size goes up in parts (and this is the part size). Default 16 MiB; at least 5 MiB.</summary>
    public int PartSize { get; init; } = 16 << 20;

    /// <summary>Parts uploaded at once per object. Default 4.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>Attempts of a request that fails transiently (5xx, time-out, connection), with backoff and jitter. Default 4.</summary>
    public int Attempts { get; init; } = 4;

    /// <summary>The time-out of one request. Default 100 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// Reads the bucket named <paramref name="name"/> from <paramref name="settings"/>; throws a <see cref="TreeException"/>
    /// (<c>invalid_mount</c>) naming the missing keys when it is not configured.
    /// </summary>
    public static S3BucketSettings Read(string name, IReadOnlyDictionary<string, string?> settings, string expression)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string? Get(string key)
        {
            var full = $"{Section}:{name}:{key}";
            foreach (var kv in settings)
            {
                if (string.Equals(kv.Key, full, StringComparison.OrdinalIgnoreCase))
                {
                    return string.IsNullOrWhiteSpace(kv.Value) ? null : kv.Value.Trim();
                }
            }

            return null;
        }

        var bucket = Get("Bucket")
            ?? throw new TreeException(TreeErrorCode.InvalidMount,
                $"{expression}: no bucket '{name}' is configured (set Grove:Buckets:{name}:Bucket, ServiceUrl, AccessKey and SecretKey, e.g. Grove__Buckets__{name}__Bucket in the environment)");
        var kind = Get("Kind") ?? "s3";
        if (!kind.Equals("s3", StringComparison.OrdinalIgnoreCase) && !kind.Equals("aliyunoss", StringComparison.OrdinalIgnoreCase))
        {
            throw new TreeException(TreeErrorCode.InvalidMount, $"{expression}: Grove:Buckets:{name}:Kind is '{kind}'; an object-storage bucket has Kind s3");
        }

        if (Get("ServiceUrl") is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            throw new TreeException(TreeErrorCode.InvalidMount, $"{expression}: Grove:Buckets:{name}:ServiceUrl '{url}' is not an absolute URL");
        }

        return new S3BucketSettings
        {
            Name = name,
            Kind = kind.ToLowerInvariant(),
            ServiceUrl = Get("ServiceUrl"),
            Region = Get("Region") ?? "us-east-1",
            Bucket = bucket,
            Prefix = (Get("Prefix") ?? "").Trim('/'),
            ForcePathStyle = bool.TryParse(Get("ForcePathStyle"), out var pathStyle) && pathStyle,
            AccessKey = Get("AccessKey"),
            SecretKey = Get("SecretKey"),
            PartSize = Math.Max(5 << 20, Int(Get("PartSize")) ?? 16 << 20),
            Parallelism = Math.Clamp(Int(Get("Parallelism")) ?? 4, 1, 64),
            Attempts = Math.Clamp(Int(Get("Attempts")) ?? 4, 1, 20),
        };
    }

    /// <summary>The names of every configured bucket (keys <c>Buckets:&lt;Name&gt;:Bucket</c>).</summary>
    public static IEnumerable<string> ConfiguredNames(IReadOnlyDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var key in settings.Keys)
        {
            var parts = key.Split(':');
            if (parts.Length == 3 && parts[0].Equals(Section, StringComparison.OrdinalIgnoreCase) && parts[2].Equals("Bucket", StringComparison.OrdinalIgnoreCase))
            {
                yield return parts[1];
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name}: {ServiceUrl ?? "aws " + Region}/{Bucket}/{Prefix} (access key {AccessKey ?? "none"}, secret {(SecretKey is null ? "none" : "***")})";

    private static int? Int(string? s) => s is null ? null : int.Parse(s, CultureInfo.InvariantCulture);
}
