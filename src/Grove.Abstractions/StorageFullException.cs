using System.Data.Common;

namespace Grove;

/// <summary>
/// A write that does not fit on the disk (or in the quota) of the data folder or the store: 507
/// <c>insufficient_storage</c>. The operation changed nothing; it may succeed once space is freed.
/// </summary>
public sealed class StorageFullException(string message, Exception? inner = null)
    : GroveException(CodeName, message, inner)
{
    /// <summary>The stable code.</summary>
    public const string CodeName = "insufficient_storage";

    /// <inheritdoc />
    public override int Status => 507;

    /// <summary>
    /// True when <paramref name="e"/> (or an exception inside it) says the disk is full: ENOSPC or EDQUOT from the file
    /// system, ERROR_DISK_FULL on Windows, SQLite's SQLITE_FULL, PostgreSQL's <c>53100 disk_full</c>.
    /// </summary>
    public static bool IsDiskFull(Exception? e)
    {
        for (var depth = 0; e is not null && depth < 8; depth++, e = e.InnerException)
        {
            var full = e switch
            {
                StorageFullException => true,
                IOException io => io.HResult is Enospc or Edquot or WindowsDiskFull or WindowsHandleDiskFull,
                DbException { SqlState: "53100" } => true,
                DbException db => db.GetType().FullName == "Microsoft.Data.Sqlite.SqliteException" && db.ErrorCode == SqliteFull,
                _ => false,
            };
            if (full)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The 507 answer for a disk-full failure.</summary>
    public static StorageFullException From(Exception e) => e as StorageFullException
        ?? new StorageFullException("not enough space on the server's storage for this write; nothing was changed", e);

    private const int Enospc = 28;
    private const int Edquot = 122;
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);
    private const int SqliteFull = 13;
}
