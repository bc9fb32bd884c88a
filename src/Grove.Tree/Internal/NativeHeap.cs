using System.Runtime.InteropServices;

namespace Grove.Tree.Internal;

/// <summary>The C heap under SQLite and the runtime: what free() kept for reuse goes back to the kernel on a trim.</summary>
internal static partial class NativeHeap
{
    private static bool _unsupported;

    /// <summary>glibc's <c>malloc_trim(0)</c> on Linux (returns free pages of every arena); elsewhere nothing.</summary>
    public static void Trim()
    {
        if (!OperatingSystem.IsLinux() || _unsupported)
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (EntryPointNotFoundException)
        {
            // Note that musl (Alpine) has no malloc_trim; its allocator gives pages back on its own.
            _unsupported = true;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
