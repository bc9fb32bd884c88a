using System.Text;

namespace Grove.Cli.Tests.Infrastructure;

/// <summary>
/// Runs the CLI in-process against a temp folder: the data folder is <c>grove-data</c> inside it and is passed as
/// <c>--data</c>; the working folder is the temp folder; the process environment is not consulted.
/// </summary>
public sealed class GroveRunner : IDisposable
{
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public GroveRunner()
    {
        DataPath = Temp.Combine("grove-data");
        // Note that grove login writes the credentials file under the config folder: never the real user's.
        _environment["XDG_CONFIG_HOME"] = ConfigPath;
    }

    public TempFolder Temp { get; } = new("grove-cli-test-");

    public string DataPath { get; }

    /// <summary>The CLI's config folder (<c>XDG_CONFIG_HOME</c>), where <c>grove login</c> keeps tokens.</summary>
    public string ConfigPath => Temp.Combine("config");

    /// <summary>Pretend stderr is a terminal (progress bars are drawn).</summary>
    public bool ErrorIsTerminal { get; set; }

    /// <summary>Bytes over which progress bars appear.</summary>
    public long ProgressThreshold { get; set; } = 4L * 1024 * 1024;

    /// <summary>Sets a variable of the CLI's environment.</summary>
    public void SetEnvironment(string name, string value) => _environment[name] = value;

    /// <summary>Runs with <c>--data</c> pointing at <see cref="DataPath"/>.</summary>
    public Task<CliResult> RunAsync(params string[] args) => RunRawAsync(["--data", DataPath, .. args]);

    /// <summary>Runs with <c>--data</c> and bytes on standard input.</summary>
    public Task<CliResult> RunWithInputAsync(byte[] input, params string[] args) =>
        RunRawAsync(["--data", DataPath, .. args], new MemoryStream(input));

    /// <summary>Runs exactly the given arguments.</summary>
    public async Task<CliResult> RunRawAsync(string[] args, Stream? stdin = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var host = new CliHost
        {
            Out = stdout,
            Error = stderr,
            In = stdin,
            Environment = name => _environment.GetValueOrDefault(name),
            WorkingDirectory = Temp.Path,
            ErrorIsTerminal = ErrorIsTerminal,
            ProgressThreshold = ProgressThreshold,
        };
        var code = await GroveCli.RunAsync(args, host);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Writes a local file of <paramref name="size"/> pseudo-random bytes and returns its path.</summary>
    public string RandomFile(string name, int size, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        var path = Temp.Combine(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes a local text file and returns its path.</summary>
    public string TextFile(string name, string text) => Temp.File(name, text);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public void Dispose() => Temp.Dispose();
}
