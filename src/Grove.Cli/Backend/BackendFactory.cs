namespace Grove.Cli.Backend;

/// <summary>Chooses the backend for an invocation. Today always local; a <c>--server URL</c> will choose HTTP here.</summary>
internal static class BackendFactory
{
    /// <summary>
    /// Opens the backend. Without <paramref name="create"/> a SQLite data folder must already hold an index
    /// (<c>not_initialized</c> otherwise), so a mistyped <c>--data</c> does not scatter new stores around.
    /// </summary>
    public static async Task<ITreeBackend> OpenAsync(BackendSettings settings, bool create, CancellationToken ct)
    {
        if (!create && settings.Sqlite && !File.Exists(Path.Join(settings.DataPath, LocalBackend.IndexFile)))
        {
            throw new CliException(CliErrorCodes.NotInitialized,
                $"no Grove data in '{settings.DataPath}'; run 'grove init' or pass --data");
        }

        return await LocalBackend.OpenAsync(settings, ct);
    }
}
