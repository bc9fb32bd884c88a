using Microsoft.Extensions.Logging;

namespace Grove.Client;

/// <summary>How <see cref="GroveLogLoggerProvider"/> writes <see cref="ILogger"/> output into a task log.</summary>
public sealed record GroveLogLoggerOptions
{
    /// <summary>The lowest level written (default Information).</summary>
    public LogLevel MinLevel { get; init; } = LogLevel.Information;

    /// <summary>Write the logger's category after the level (default true).</summary>
    public bool IncludeCategory { get; init; } = true;

    /// <summary>Write the active scopes before the message, separated by <c>=&gt;</c> (default false).</summary>
    public bool IncludeScopes { get; init; }

    /// <summary>Colour the level with ANSI codes, which the console's log viewer renders (default false).</summary>
    public bool Colors { get; init; }
}
