using System.Security.Cryptography;

namespace Grove.Config.Internal;

/// <summary>The master key in <c>&lt;data&gt;/config-master.key</c>: 32 random bytes, base64, created owner-only (0600).</summary>
internal static class MasterKeyFile
{
    public const string Name = "config-master.key";

    public static byte[] LoadOrCreate(string dataPath)
    {
        Directory.CreateDirectory(dataPath);
        var path = Path.Combine(dataPath, Name);
        if (!File.Exists(path))
        {
            try
            {
                var key = RandomNumberGenerator.GetBytes(32);
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using (var fs = new FileStream(path, options))
                using (var w = new StreamWriter(fs))
                {
                    w.Write(Convert.ToBase64String(key));
                    w.Flush();
                    fs.Flush(flushToDisk: true);
                }

                return key;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Made by another process at the same moment: use theirs.
            }
        }

        return Load(path);
    }

    /// <summary>Reads a key file given to the node (it must exist: a node sharing a store never makes its own key).</summary>
    public static byte[] Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(ConfigErrorCode.InvalidArgument, $"the config master key file {path} cannot be read ({e.Message})", e);
        }

        return Parse(text, path);
    }

    /// <summary>Decodes a base64 32-byte key; <paramref name="source"/> names where it came from (never the key).</summary>
    public static byte[] Parse(string text, string source)
    {
        try
        {
            var key = Convert.FromBase64String(text.Trim());
            return key.Length == 32 ? key : throw new FormatException($"{key.Length} bytes");
        }
        catch (FormatException e)
        {
            throw new ConfigException(ConfigErrorCode.InvalidArgument, $"{source} does not hold a base64 32-byte key ({e.Message})", e);
        }
    }
}
