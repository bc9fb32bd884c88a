using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Grove.Client.Configuration.Internal;

/// <summary>
/// Snapshot files: <c>&lt;folder&gt;/&lt;tenant or public&gt;/&lt;group&gt;/&lt;dataId&gt;.json</c>, each written to a temporary
/// file and renamed into place (a reader or a crash sees the old file or the new one). Secret content is sealed
/// with AES-GCM under the snapshot key (bound to the config's name), or not written at all without a key.
/// </summary>
internal sealed class SnapshotStore(string folder, byte[]? key)
{
    public bool CanKeep(bool secret) => !secret || key is not null;

    public string PathOf(GroveConfigKey k) =>
        Path.Combine(folder, string.IsNullOrEmpty(k.Tenant) ? "public" : Safe(k.Tenant), Safe(k.Group), Safe(k.DataId) + ".json");

    public void Write(GroveConfigKey k, Snapshot s)
    {
        if (!CanKeep(s.Secret))
        {
            return;
        }

        var path = PathOf(k);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Stored
        {
            Type = s.Type,
            Md5 = s.Md5,
            Secret = s.Secret,
            Content = s.Secret ? null : s.Content,
            Sealed = s.Secret ? Seal(k, s.Content) : null,
        });
        var tmp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        File.WriteAllBytes(tmp, body);
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>The snapshot of a config, or null (none, unreadable, or sealed under another key: the reason is in <paramref name="why"/>).</summary>
    public Snapshot? Read(GroveConfigKey k, out string? why)
    {
        why = null;
        var path = PathOf(k);
        if (!File.Exists(path))
        {
            why = $"no snapshot at {path}";
            return null;
        }

        try
        {
            var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllBytes(path)) ?? throw new JsonException("empty");
            var content = stored.Secret ? Open(k, stored.Sealed ?? "") : stored.Content ?? "";
            return new Snapshot(stored.Type ?? "text", stored.Md5 ?? "", content, stored.Secret);
        }
        catch (Exception e) when (e is JsonException or IOException or CryptographicException or FormatException or InvalidOperationException)
        {
            why = $"the snapshot {path} cannot be read: {e.Message}";
            return null;
        }
    }

    private string Seal(GroveConfigKey k, string content)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plain = Encoding.UTF8.GetBytes(content);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using var aes = new AesGcm(key!, 16);
        aes.Encrypt(nonce, plain, cipher, tag, Encoding.UTF8.GetBytes(k.ToString()));
        return Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    private string Open(GroveConfigKey k, string sealedText)
    {
        if (key is null)
        {
            throw new InvalidOperationException("the snapshot of a secret needs GroveConfigurationOptions.SnapshotKey");
        }

        var all = Convert.FromBase64String(sealedText);
        var plain = new byte[all.Length - 28];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(all.AsSpan(0, 12), all.AsSpan(28), all.AsSpan(12, 16), plain, Encoding.UTF8.GetBytes(k.ToString()));
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>Keys are <c>[A-Za-z0-9_.:-]</c> on the server; anything else (and a leading dot) is replaced, so no name leaves the folder.</summary>
    private static string Safe(string part)
    {
        var chars = part.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':' ? c : '_').ToArray();
        if (chars.Length > 0 && chars[0] == '.')
        {
            chars[0] = '_';
        }

        return chars.Length == 0 ? "_" : new string(chars);
    }

    private sealed class Stored
    {
        public string? Type { get; set; }

        public string? Md5 { get; set; }

        public bool Secret { get; set; }

        public string? Content { get; set; }

        public string? Sealed { get; set; }
    }
}
