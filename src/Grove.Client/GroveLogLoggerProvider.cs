using System.Collections.Concurrent;
using Grove.Client.Internal;
using Microsoft.Extensions.Logging;

namespace Grove.Client;

/// <summary>
/// An <see cref="ILoggerProvider"/> whose loggers write into a task log through a <see cref="GroveLogReporter"/>: one
/// line per message (<c>info: Category: text</c>; a multi-line message or an exception's stack becomes several lines),
/// time-stamped as it is logged. Logging never blocks on the network and never throws: the reporter queues. The
/// reporter is not disposed by the provider (finish the task with it).
/// </summary>
/// <example>
/// <code>
/// await using var log = await GroveLogReporter.StartAsync(grove, "import");
/// using var factory = LoggerFactory.Create(b => b.AddGroveTaskLog(log));
/// factory.CreateLogger("Import").LogInformation("read {Rows} rows", 1200);
/// </code>
/// </example>
[ProviderAlias("GroveTaskLog")]
public sealed class GroveLogLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentDictionary<string, GroveTaskLogger> _loggers = new(StringComparer.Ordinal);

    /// <summary>A provider writing to <paramref name="reporter"/>.</summary>
    public GroveLogLoggerProvider(GroveLogReporter reporter, GroveLogLoggerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        Reporter = reporter;
        Options = options ?? new GroveLogLoggerOptions();
    }

    /// <summary>The reporter the loggers write to.</summary>
    public GroveLogReporter Reporter { get; }

    /// <summary>The formatting options.</summary>
    public GroveLogLoggerOptions Options { get; }

    internal IExternalScopeProvider? Scopes { get; private set; }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName ?? "", c => new GroveTaskLogger(this, c));

    /// <inheritdoc/>
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => Scopes = scopeProvider;

    /// <inheritdoc/>
    public void Dispose() => _loggers.Clear();
}
