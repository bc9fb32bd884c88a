namespace Grove.Testing;

/// <summary>A fresh folder under the system temp folder, deleted (with everything in it) on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "grove-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The folder's absolute path.</summary>
    public string Path { get; }

    /// <summary>Creates a sub-folder (and its parents) and returns its absolute path.</summary>
    public string Dir(string relative) => Directory.CreateDirectory(Combine(relative)).FullName;

    /// <summary>Writes a file (creating its folder) and returns its absolute path.</summary>
    public string File(string relative, string content = "")
    {
        var path = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    /// <summary>The absolute path of a forward-slash relative path inside the folder.</summary>
    public string Combine(string relative) => System.IO.Path.Join(Path, relative);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS cleans its temp folder eventually.
        }
    }
}
