namespace Grove.Cli;

/// <summary>Writing local files so that an interrupted write never leaves half a file under the final name.</summary>
internal static class LocalFiles
{
    /// <summary>
    /// Writes to a hidden temporary file beside <paramref name="target"/>, flushes it to disk, then renames it over
    /// the target. On any failure or cancellation the temporary file is removed and the target is untouched.
    /// </summary>
    public static async Task WriteAtomicAsync(string target, Func<Stream, Task> write)
    {
        var dir = Path.GetDirectoryName(target) ?? ".";
        var temp = Path.Join(dir, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.grove-tmp");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await write(file);
                await file.FlushAsync();
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a stray temp file is hidden and named as ours.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
