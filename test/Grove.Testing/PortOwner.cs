using System.Globalization;

namespace Grove.Testing;

/// <summary>
/// Which process listens on a loopback port (Linux, through /proc): a server started on a port that another process
/// took between the probe and its own bind fails, while a connection to the port still succeeds — to the other one.
/// </summary>
internal static class PortOwner
{
    /// <summary>
    /// Whether a socket listening on <paramref name="port"/> belongs to <paramref name="pid"/> or a process it started;
    /// null when /proc cannot tell (not Linux).
    /// </summary>
    public static bool? IsListenedBy(int port, int pid)
    {
        if (!File.Exists("/proc/net/tcp"))
        {
            return null;
        }

        var inodes = ListeningInodes(port);
        return inodes.Count > 0 && SelfAndDescendants(pid).Any(p => HoldsAny(p, inodes));
    }

    private static HashSet<string> ListeningInodes(int port)
    {
        var hexPort = port.ToString("X4", CultureInfo.InvariantCulture);
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            // Columns: sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode; 0A = LISTEN.
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length > 9 && f[3] == "0A" && f[1].EndsWith(":" + hexPort, StringComparison.Ordinal))
                {
                    inodes.Add(f[9]);
                }
            }
        }

        return inodes;
    }

    private static List<int> SelfAndDescendants(int pid)
    {
        var all = new List<int> { pid };
        for (var i = 0; i < all.Count; i++)
        {
            try
            {
                foreach (var task in Directory.EnumerateDirectories($"/proc/{all[i]}/task"))
                {
                    var children = File.ReadAllText(Path.Join(task, "children"));
                    all.AddRange(children.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, CultureInfo.InvariantCulture)));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Note that a process may exit while it is read.
            }
        }

        return all;
    }

    private static bool HoldsAny(int pid, HashSet<string> inodes)
    {
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target[8..^1]))
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return false;
    }
}
