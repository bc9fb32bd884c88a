using System.Text.Json;
using Grove.Cli.Output;

namespace Grove.Cli.Remote;

/// <summary>
/// The per-user file of login tokens, keyed by server address:
/// <c>$XDG_CONFIG_HOME/grove/credentials.json</c> (else <c>~/.config/grove/credentials.json</c>), readable by its
/// owner only (0600, in a 0700 folder), replaced atomically on every change.
/// </summary>
internal sealed class CredentialStore
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDir = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private CredentialStore(string path) => FilePath = path;

    /// <summary>The credentials file.</summary>
    public string FilePath { get; }

    /// <summary>The store of the user running the CLI, located through the host's environment.</summary>
    public static CredentialStore For(CliHost host)
    {
        var config = host.Environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Join(host.Environment("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return new CredentialStore(Path.Join(config, "grove", "credentials.json"));
    }

    /// <summary>The key of a server: scheme, host, port and path, without a trailing slash.</summary>
    public static string KeyOf(Uri server) => server.GetLeftPart(UriPartial.Path).TrimEnd('/');

    /// <summary>The stored credential for a server, or null.</summary>
    public ServerCredential? Get(Uri server) => Load().GetValueOrDefault(KeyOf(server));

    /// <summary>Stores (or replaces) the credential for a server.</summary>
    public void Set(Uri server, ServerCredential credential)
    {
        var all = Load();
        all[KeyOf(server)] = credential;
        Save(all);
    }

    /// <summary>Forgets a server's credential; false when there was none.</summary>
    public bool Remove(Uri server)
    {
        var all = Load();
        if (!all.Remove(KeyOf(server)))
        {
            return false;
        }

        Save(all);
        return true;
    }

    private Dictionary<string, ServerCredential> Load()
    {
        var all = new Dictionary<string, ServerCredential>(StringComparer.Ordinal);
        if (!File.Exists(FilePath))
        {
            return all;
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(FilePath));
            if (doc.RootElement.TryGetProperty("servers", out var servers) && servers.ValueKind == JsonValueKind.Object)
            {
                foreach (var s in servers.EnumerateObject())
                {
                    if (s.Value.ValueKind == JsonValueKind.Object
                        && s.Value.TryGetProperty("token", out var token) && token.ValueKind == JsonValueKind.String)
                    {
                        var user = s.Value.TryGetProperty("user", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : "";
                        var expires = s.Value.TryGetProperty("expiresAt", out var x) && x.TryGetInt64(out var ms) ? ms : 0;
                        all[s.Name] = new ServerCredential(user, token.GetString()!, expires);
                    }
                }
            }
        }
        catch (JsonException e)
        {
            throw new CliException(CliErrorCodes.IoError, $"'{FilePath}' is not valid JSON ({e.Message}); remove it and sign in again", ExitCodes.Io, e);
        }

        return all;
    }

    private void Save(Dictionary<string, ServerCredential> all)
    {
        var dir = Path.GetDirectoryName(FilePath)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dir);
        }
        else
        {
            Directory.CreateDirectory(dir, OwnerOnlyDir);
        }

        var json = JsonText.Build(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("servers");
            foreach (var (key, c) in all.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject(key);
                w.WriteString("user", c.User);
                w.WriteString("token", c.Token);
                w.WriteNumber("expiresAt", c.ExpiresAt);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });
        var temp = FilePath + $".{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Note that the file is created with owner-only rights: the token is never readable by others, not even briefly.
            options.UnixCreateMode = OwnerOnlyFile;
        }

        try
        {
            using (var file = new FileStream(temp, options))
            using (var writer = new StreamWriter(file))
            {
                writer.Write(json);
                writer.Flush();
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, FilePath, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
