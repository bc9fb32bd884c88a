using System.Runtime.InteropServices;

namespace Grove.Tree.Internal;

/// <summary>fsync of directories, so that a rename is on disk before the metadata that relies on it is committed.</summary>
internal static partial class Durability
{
    private const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux

    public static void FsyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(path, ReadOnlyDirectory);
        if (fd < 0)
        {
            return;
        }

        try
        {
            _ = Fsync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
