namespace Grove.Cli;

/// <summary>
/// What one CLI invocation talks to: its standard streams, environment and working folder. Tests build one by hand;
/// <see cref="Program"/> builds it from the real console. Nothing here is static, so invocations can run side by side.
/// </summary>
internal sealed record CliHost
{
    /// <summary>Standard output. When it is a <see cref="StreamWriter"/>, file content goes to its stream byte for byte.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Standard error: messages, cursors, progress bars.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Standard input, for <c>put - path</c>; null when there is none.</summary>
    public Stream? In { get; init; }

    /// <summary>Reads an environment variable (<c>GROVE_DATA</c>, <c>GROVE_STORE</c>, <c>GROVE_SERVER</c>, <c>GROVE_DEBUG</c>…).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>
    /// Every environment variable, for the storage providers' settings (<c>Grove__Buckets__media__SecretKey</c>,
    /// <c>Grove__Redis__Configuration</c>), read as the server reads its <c>Grove</c> section.
    /// </summary>
    public Func<IEnumerable<KeyValuePair<string, string?>>> EnvironmentVariables { get; init; } = () =>
        System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => new KeyValuePair<string, string?>((string)e.Key, e.Value as string));

    /// <summary>The folder relative local paths and the default data folder are resolved against.</summary>
    public string WorkingDirectory { get; init; } = System.Environment.CurrentDirectory;

    /// <summary>
    /// Asks for a secret (a password) on the terminal without echoing it, the prompt on stderr; null when there is no
    /// terminal to ask on (then <c>GROVE_PASSWORD</c> must be set).
    /// </summary>
    public Func<string, string?>? ReadSecret { get; init; }

    /// <summary>Whether standard error is an interactive terminal (progress bars are drawn only then).</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>Bytes a file must exceed before put and get draw a progress bar.</summary>
    public long ProgressThreshold { get; init; } = 4L * 1024 * 1024;

    /// <summary>True when <c>GROVE_DEBUG=1</c>: errors come with their stack traces.</summary>
    public bool Debug => Environment("GROVE_DEBUG") is "1" or "true";

    /// <summary>A local path resolved against <see cref="WorkingDirectory"/>.</summary>
    public string LocalPath(string path) => Path.GetFullPath(path, WorkingDirectory);
}
